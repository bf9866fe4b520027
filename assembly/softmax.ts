// Softmax, log-softmax, their backward passes and the fused softmax cross-entropy losses,
// row by row along the last axis. Every row subtracts its maximum m before exponentiating
// and keeps s = Σ e^(z−m) − 1 (the 1 of the maximum taken out exactly, the sum in f64), so
// that log Σ e^(z−m) = log1p(s) and 1 − p_max = s/(1+s) stay accurate for confident rows.
import { MAX, rowFold } from './fold';
import { expS, expV, log1pS, splat } from './vmath';

// s = Σ_{z_i ≠ m} e^(z_i − m) + (#{z_i = m} − 1), summed in f64 so that wide rows of many
// small terms (a confident row) keep f32 accuracy; with STORE, e^(z_i − m) goes to e[i]
@inline function expSumRest(STORE: bool, z: usize, e: usize, n: i32, m: f32): f32 {
  let i = 0;
  let s: f64 = 0;
  let cnt = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = splat(m);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let cv = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(z + o);
      const ev = expV(f32x4.sub(v, mv));
      if (STORE) v128.store(e + o, ev);
      const eq = f32x4.eq(v, mv);
      const rest = v128.andnot(ev, eq);
      acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(rest));
      acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(i32x4.shuffle(rest, rest, 2, 3, 2, 3)));
      cv = i32x4.sub(cv, eq);
    }
    const acc = f64x2.add(acc0, acc1);
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    cnt = (i32x4.extract_lane(cv, 0) + i32x4.extract_lane(cv, 1)) +
      (i32x4.extract_lane(cv, 2) + i32x4.extract_lane(cv, 3));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(z + o);
    const ev = expS(v - m);
    if (STORE) store<f32>(e + o, ev);
    if (v == m) cnt++;
    else s += <f64>ev;
  }
  return <f32>(s + <f64>(cnt - 1));
}

// p[i] *= c
@inline function scaleRow(p: usize, n: i32, c: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = splat(c);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(p + o, f32x4.mul(v128.load(p + o), cv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, load<f32>(p + o) * c);
  }
}

// Σ a[i]·b[i], or Σ a[i] when ONES
@inline function rowDot(ONES: bool, a: usize, b: usize, n: i32): f32 {
  let i = 0;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc0 = splat(0);
    let acc1 = splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a0 = v128.load(a + o);
      const a1 = v128.load(a + o, 16);
      acc0 = f32x4.add(acc0, ONES ? a0 : f32x4.mul(a0, v128.load(b + o)));
      acc1 = f32x4.add(acc1, ONES ? a1 : f32x4.mul(a1, v128.load(b + o, 16)));
    }
    const acc = f32x4.add(acc0, acc1);
    s = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) +
      (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += ONES ? load<f32>(a + o) : load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
}

/** out = softmax(x) along rows of `cols`. `out` may equal `x`. */
export function softmax(x: usize, out: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * rb;
    const po = out + <usize>r * rb;
    const m = rowFold(MAX, px, cols);
    const s = expSumRest(true, px, po, cols, m);
    scaleRow(po, cols, <f32>1.0 / (<f32>1.0 + s));
  }
}

/** out = x − m − log Σ e^(x−m) along rows of `cols`. `out` may equal `x`. */
export function logSoftmax(x: usize, out: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * rb;
    const po = out + <usize>r * rb;
    const m = rowFold(MAX, px, cols);
    const l = log1pS(expSumRest(false, px, 0, cols, m));
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = splat(m);
      const lv = splat(l);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, f32x4.sub(f32x4.sub(v128.load(px + o), mv), lv));
      }
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      store<f32>(po + o, load<f32>(px + o) - m - l);
    }
  }
}

/** dx = y·(dy − Σ dy·y) per row, y = softmax output. `dx` may equal `dy`. */
export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const py = y + off;
    const pg = dy + off;
    const pd = dx + off;
    const dot = rowDot(false, pg, py, cols);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const dv = splat(dot);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        v128.store(pd + o, f32x4.mul(v128.load(py + o), f32x4.sub(v128.load(pg + o), dv)));
      }
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      store<f32>(pd + o, load<f32>(py + o) * (load<f32>(pg + o) - dot));
    }
  }
}

/** dx = dy − exp(y)·Σ dy per row, y = log-softmax output. `dx` may equal `dy`. */
export function logSoftmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const py = y + off;
    const pg = dy + off;
    const pd = dx + off;
    const sum = rowDot(true, pg, 0, cols);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const sv = splat(sum);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        v128.store(pd + o, f32x4.sub(v128.load(pg + o), f32x4.mul(expV(v128.load(py + o)), sv)));
      }
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      store<f32>(pd + o, load<f32>(pg + o) - expS(load<f32>(py + o)) * sum);
    }
  }
}

/** Per row r: loss[r] = logsumexp(z) − z[label[r]] and, unless `dlogits` is 0,
 * dlogits = (softmax(z) − onehot(label))·gradScale. A label outside [0, cols) gives loss
 * NaN and a NaN gradient row. */
export function softmaxXentSparse(
  logits: usize, labels: usize, loss: usize, dlogits: usize, rows: i32, cols: i32, gradScale: f32,
): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const z = logits + <usize>r * rb;
    const d = dlogits + <usize>r * rb;
    const label = load<i32>(labels + (<usize>r << 2));
    if (<u32>label >= <u32>cols) {
      store<f32>(loss + (<usize>r << 2), NaN);
      if (dlogits != 0) for (let i = 0; i < cols; i++) store<f32>(d + (<usize>i << 2), NaN);
      continue;
    }
    const zl = load<f32>(z + (<usize>label << 2));
    const m = rowFold(MAX, z, cols);
    const s = dlogits != 0 ? expSumRest(true, z, d, cols, m) : expSumRest(false, z, 0, cols, m);
    store<f32>(loss + (<usize>r << 2), (m - zl) + log1pS(s));
    if (dlogits != 0) {
      const inv: f32 = <f32>1.0 / (<f32>1.0 + s);
      scaleRow(d, cols, inv * gradScale);
      // p − 1 at the label, without cancelling when p ≈ 1
      const pm1: f32 = zl == m ? -s * inv : expS(zl - m) * inv - <f32>1.0;
      store<f32>(d + (<usize>label << 2), pm1 * gradScale);
    }
  }
}

/** Per row r: loss[r] = Σ_i t_i·(logsumexp(z) − z_i) (terms with t_i = 0 skipped) and,
 * unless `dlogits` is 0, dlogits = (softmax(z) − t)·gradScale (TensorFlow's gradient, exact
 * when each target row sums to 1). */
export function softmaxXentDense(
  logits: usize, targets: usize, loss: usize, dlogits: usize, rows: i32, cols: i32, gradScale: f32,
): void {
  const rb = <usize>cols << 2;
  const grad = dlogits != 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const z = logits + off;
    const t = targets + off;
    const d = dlogits + off;
    if (cols <= 0) {
      store<f32>(loss + (<usize>r << 2), 0);
      continue;
    }
    const m = rowFold(MAX, z, cols);
    const s = grad ? expSumRest(true, z, d, cols, m) : expSumRest(false, z, 0, cols, m);
    const l = log1pS(s);
    const inv: f32 = <f32>1.0 / (<f32>1.0 + s);
    // p − t at a maximum (p = inv there): as (1 − t) − s·inv when p > 1/2, which keeps a
    // confident row's tiny gradient, else as inv − t
    const sInv = s * inv;
    const viaRest = inv > 0.5;
    let i = 0;
    let acc: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = splat(m);
      const lv = splat(l);
      const iv = splat(inv);
      const sv = splat(sInv);
      const gv = splat(gradScale);
      const one = splat(1.0);
      const restMask = i32x4.splat(viaRest ? -1 : 0);
      let av = splat(0);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        const zv = v128.load(z + o);
        const tv = v128.load(t + o);
        const term = f32x4.mul(tv, f32x4.add(f32x4.sub(mv, zv), lv));
        av = f32x4.add(av, v128.and(term, f32x4.ne(tv, splat(0))));
        if (grad) {
          const pt = f32x4.sub(f32x4.mul(v128.load(d + o), iv), tv);
          const atMax = f32x4.sub(f32x4.sub(one, tv), sv);
          const sel = v128.and(f32x4.eq(zv, mv), restMask);
          v128.store(d + o, f32x4.mul(v128.bitselect(atMax, pt, sel), gv));
        }
      }
      acc = (f32x4.extract_lane(av, 0) + f32x4.extract_lane(av, 1)) +
        (f32x4.extract_lane(av, 2) + f32x4.extract_lane(av, 3));
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      const zi = load<f32>(z + o);
      const ti = load<f32>(t + o);
      if (ti != 0) acc += ti * ((m - zi) + l);
      if (grad) {
        const pt: f32 = viaRest && zi == m ? (<f32>1.0 - ti) - sInv : load<f32>(d + o) * inv - ti;
        store<f32>(d + o, pt * gradScale);
      }
    }
    store<f32>(loss + (<usize>r << 2), acc);
  }
}
