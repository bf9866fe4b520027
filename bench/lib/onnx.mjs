// A hand-written ONNX writer for the benchmark MLP: a protobuf encoder of the few
// onnx.proto messages a Dense stack needs (ModelProto, GraphProto, NodeProto,
// TensorProto, ValueInfoProto), so the bench needs no protobuf library.
// Field numbers are those of onnx/onnx.proto (proto2; repeated scalars unpacked).

class Writer {
  parts = [];
  size = 0;
  bytes(b) {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  varint(v) {
    const out = [];
    let x = BigInt.asUintN(64, BigInt(v)); // negative int64: ten-byte two's complement
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x) byte |= 0x80;
      out.push(byte);
    } while (x);
    return this.bytes(Uint8Array.from(out));
  }
  tag(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, v) {
    return this.tag(field, 0).varint(v);
  }
  len(field, payload) {
    return this.tag(field, 2).varint(payload.length).bytes(payload);
  }
  str(field, s) {
    return this.len(field, new TextEncoder().encode(s));
  }
  msg(field, build) {
    const w = new Writer();
    build(w);
    return this.len(field, w.finish());
  }
  finish() {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian f32). */
function initializer(w, name, data, shape) {
  w.msg(5, (t) => {
    for (const d of shape) t.int(1, d);
    t.int(2, FLOAT).str(8, name);
    t.len(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5 (name=1, i=3, type=20). */
function node(w, op, inputs, outputs, attrs = {}) {
  w.msg(1, (n) => {
    for (const i of inputs) n.str(1, i);
    for (const o of outputs) n.str(2, o);
    n.str(3, outputs[0]).str(4, op);
    for (const [k, v] of Object.entries(attrs)) n.msg(5, (a) => a.str(1, k).int(3, v).int(20, ATTR_INT));
  });
}

/** ValueInfoProto for a float tensor: name=1, type=2 > tensor_type=1 > elem_type=1, shape=2 > dim=1. */
function valueInfo(w, field, name, dims) {
  w.msg(field, (v) =>
    v.str(1, name).msg(2, (t) =>
      t.msg(1, (tt) =>
        tt.int(1, FLOAT).msg(2, (s) => {
          for (const d of dims) s.msg(1, (dim) => (typeof d === 'string' ? dim.str(2, d) : dim.int(1, d)));
        }),
      ),
    ),
  );
}

/**
 * An ONNX model (opset 13) for a stack of Dense layers: Gemm(x, W[in,out], b) then the
 * activation ('relu' | 'softmax' | 'linear') for each; input 'x' [batch, in], output 'y'.
 * @param layers [{ kernel: Float32Array, bias: Float32Array, inDim, outDim, activation }]
 */
export function denseStackToOnnx(layers) {
  const model = new Writer();
  model.int(1, 8); // ir_version
  model.str(2, 'kerasm-bench');
  model.msg(8, (o) => o.str(1, '').int(2, 13)); // opset_import: default domain, opset 13
  model.msg(7, (g) => {
    let prev = 'x';
    layers.forEach((l, i) => {
      const z = `dense${i}_z`;
      const out = i === layers.length - 1 ? 'y' : `dense${i}_y`;
      node(g, 'Gemm', [prev, `W${i}`, `b${i}`], [l.activation === 'linear' ? out : z]);
      if (l.activation === 'relu') node(g, 'Relu', [z], [out]);
      else if (l.activation === 'softmax') node(g, 'Softmax', [z], [out], { axis: -1 });
      else if (l.activation !== 'linear') throw new Error(`no ONNX mapping for activation ${l.activation}`);
      prev = out;
    });
    g.str(2, 'mlp');
    layers.forEach((l, i) => {
      initializer(g, `W${i}`, l.kernel, [l.inDim, l.outDim]);
      initializer(g, `b${i}`, l.bias, [l.outDim]);
    });
    valueInfo(g, 11, 'x', ['batch', layers[0].inDim]);
    valueInfo(g, 12, 'y', ['batch', layers[layers.length - 1].outDim]);
  });
  return model.finish();
}
