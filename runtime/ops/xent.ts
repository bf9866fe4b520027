// Softmax cross-entropy fused into one pass: the loss per row and, while recording
// gradients, the unit gradient (softmax − target) that backward scales by dy.
import { isRecording, record } from '../autodiff';
import { Tensor } from '../tensor';
import { strided4 } from './broadcast';
import { BINARY } from '../kernel_codes';
import { bufOf, empty, launch, fmtShape } from './core';
import { cast } from './elementwise';

function scaled(dlogits: Tensor, dy: Tensor): Tensor {
  const out = empty(dlogits.shape);
  const c = dlogits.shape[dlogits.rank - 1];
  const r = dlogits.size / c;
  const { dims, as, bs } = strided4([r, c], [r, 1], [r, c]);
  launch('binaryBroadcast', BINARY.mul, bufOf(dlogits), bufOf(dy), bufOf(out), ...dims, ...as, ...bs);
  return out;
}

function xent(kind: 'sparse' | 'dense', logits: Tensor, target: Tensor): Tensor {
  const cols = logits.shape[logits.rank - 1];
  const r = logits.size / cols;
  const lossShape = logits.shape.slice(0, -1);
  const expected = kind === 'sparse' ? r : r * cols;
  if (target.size !== expected) {
    throw new Error(
      `kerasm: ${kind === 'sparse' ? 'sparse ' : ''}categorical crossentropy: targets ${fmtShape(target.shape)} do not match predictions ${fmtShape(logits.shape)}`,
    );
  }
  const loss = empty(lossShape);
  const grad = isRecording() && logits._requiresGrad ? empty(logits.shape) : undefined;
  const t = kind === 'sparse' ? cast(target, 'int32') : target;
  launch(kind === 'sparse' ? 'softmaxXentSparse' : 'softmaxXentDense', bufOf(logits), bufOf(t), bufOf(loss),
    grad ? bufOf(grad) : 0, r, cols, 1);
  if (!grad) return loss;
  return record(loss, [logits], (dy) => [scaled(grad, dy)]);
}

/** Per-row −log softmax(logits)[label], labels as class indices. */
export const sparseSoftmaxCrossEntropy = (logits: Tensor, labels: Tensor): Tensor => xent('sparse', logits, labels);
/** Per-row −Σ target·log softmax(logits). */
export const softmaxCrossEntropy = (logits: Tensor, targets: Tensor): Tensor => xent('dense', logits, targets);
