/**
 * Layer normalisation as one op, emitted as one ONNX LayerNormalization node (ai.onnx 17+): the same
 * function as its nine-node chain of primitives, which onnxruntime runs as nine kernels and does not
 * fuse itself.
 */
import { GraphError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import { apply1, defineOp, requireFloat, requireSameDType } from '../op.js';
import { ONNX_DTYPE } from '../onnx-proto.js';
import { sameShape, shapeToString } from '../shape.js';
import { inp } from './common.js';
import { add, mul, pow, sub, unbroadcast } from './arith.js';
import { reduceMean } from './reduce-shape.js';

/** (x − mean) / √(variance + ε) over the last axis, from primitives. */
function standardise(x: Tensor, eps: number): { xHat: Tensor; invStd: Tensor } {
  const centred = sub(x, reduceMean(x, [-1], true));
  const invStd = pow(add(reduceMean(mul(centred, centred), [-1], true), eps), -0.5);
  return { xHat: mul(centred, invStd), invStd };
}

defineOp('layerNormalization', {
  infer: ([x, gain, bias]) => {
    requireFloat('layerNormalization', x!);
    requireSameDType('layerNormalization', x!, gain!);
    requireSameDType('layerNormalization', x!, bias!);
    const d = x!.shape[x!.rank - 1];
    if (typeof d !== 'number' || !sameShape(gain!.shape, [d]) || !sameShape(bias!.shape, [d])) {
      throw new GraphError('shape-mismatch', `layerNormalization: gain ${shapeToString(gain!.shape)} and bias ${shapeToString(bias!.shape)} must both be [d], d = the last dimension of ${x}, a fixed size`, {
        op: 'layerNormalization',
        shapes: [x!.shape, gain!.shape, bias!.shape],
      });
    }
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  // stash_type (the precision of the statistics) follows x, as the chain of primitives computed them.
  emit: (e, n) => {
    const attrs = { axis: -1, epsilon: { float: n.attrs.eps as number }, stash_type: ONNX_DTYPE[inp(n, 0).dtype] };
    e.node('LayerNormalization', n.inputs.map((t) => e.name(t)), attrs, [e.name(n.outputs[0]!)]);
  },
  // The statistics are recomputed from x rather than taken from the node's optional Mean and
  // InvStdDev outputs: onnxruntime's CPU kernel has them in float32 only, and recomputing keeps
  // every higher derivative exact.
  vjp: (n, [g]) => {
    const [x, gain, bias] = [inp(n, 0), inp(n, 1), inp(n, 2)];
    const { xHat, invStd } = standardise(x, n.attrs.eps as number);
    const gx = mul(g!, gain);
    const dx = mul(invStd, sub(sub(gx, reduceMean(gx, [-1], true)), mul(xHat, reduceMean(mul(gx, xHat), [-1], true))));
    return [dx, unbroadcast(mul(g!, xHat), gain), unbroadcast(g!, bias)];
  },
});

/** Layer normalisation over the last axis: (x − mean) / √(variance + ε) · gain + bias, gain and bias [d]. */
export function layerNormalization(x: Tensor, gain: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  // ONNX stores epsilon as a float: the gradient uses the same rounded value.
  return apply1('layerNormalization', [x, gain, bias], { eps: Math.fround(eps) });
}
