/** Comparisons, masks, selection, casts and clipping. */
import { GraphError } from '../../errors.js';
import type { DType, Tensor } from '../graph.js';
import { apply1, defineOp, requireSameDType } from '../op.js';
import { broadcastShapes } from '../shape.js';
import { direct, inp, lift, out, type Operand } from './common.js';
import { unbroadcast } from './arith.js';

const ONNX_TO: Record<DType, number> = { float32: 1, float64: 11, int64: 7, bool: 9 };

for (const [name, onnxOp] of [
  ['greater', 'Greater'],
  ['less', 'Less'],
  ['greaterEqual', 'GreaterOrEqual'],
  ['lessEqual', 'LessOrEqual'],
  ['equal', 'Equal'],
] as const) {
  defineOp(name, {
    infer: ([a, b]) => {
      requireSameDType(name, a!, b!);
      return [{ dtype: 'bool', shape: broadcastShapes(name, a!.shape, b!.shape) }];
    },
    emit: direct(onnxOp),
  });
}

defineOp('and', {
  infer: ([a, b]) => {
    if (a!.dtype !== 'bool' || b!.dtype !== 'bool') throw new GraphError('dtype-mismatch', `and: expects bool tensors, got ${a} and ${b}`);
    return [{ dtype: 'bool', shape: broadcastShapes('and', a!.shape, b!.shape) }];
  },
  emit: direct('And'),
});

defineOp('not', {
  infer: ([a]) => [{ dtype: 'bool', shape: a!.shape }],
  emit: direct('Not'),
});

defineOp('where', {
  infer: ([c, a, b]) => {
    if (c!.dtype !== 'bool') throw new GraphError('dtype-mismatch', `where: condition must be bool, got ${c}`, { op: 'where' });
    requireSameDType('where', a!, b!);
    const ab = broadcastShapes('where', a!.shape, b!.shape);
    return [{ dtype: a!.dtype, shape: broadcastShapes('where', c!.shape, ab) }];
  },
  emit: direct('Where'),
  vjp: (n, [g]) => {
    const c = inp(n, 0);
    const zero = g!.graph.constant(0, g!.dtype);
    return [null, unbroadcast(where(c, g!, zero), inp(n, 1)), unbroadcast(where(c, zero, g!), inp(n, 2))];
  },
});

defineOp('cast', {
  infer: ([x], a) => [{ dtype: a.to as DType, shape: x!.shape }],
  emit: direct('Cast', (n) => ({ to: ONNX_TO[n.attrs.to as DType] })),
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const floats = (d: DType) => d === 'float32' || d === 'float64';
    return [floats(x.dtype) && floats(out(n).dtype) ? cast(g!, x.dtype) : null];
  },
});

/** Clamp to [min, max]; the gradient passes where the value was inside. */
defineOp('clip', {
  infer: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
  emit: (e, n) => {
    const x = inp(n, 0);
    const { min, max } = n.attrs as { min: number; max: number };
    e.node('Clip', [e.name(x), e.scalar(min, x.dtype), e.scalar(max, x.dtype)], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const { min, max } = n.attrs as { min: number; max: number };
    const inside = and(greaterEqual(x, min), lessEqual(x, max));
    return [where(inside, g!, g!.graph.constant(0, g!.dtype))];
  },
});

function compare(op: string, a: Tensor, b: Operand): Tensor {
  return apply1(op, [a, lift(b, a)]);
}

export const greater = (a: Tensor, b: Operand): Tensor => compare('greater', a, b);
export const less = (a: Tensor, b: Operand): Tensor => compare('less', a, b);
export const greaterEqual = (a: Tensor, b: Operand): Tensor => compare('greaterEqual', a, b);
export const lessEqual = (a: Tensor, b: Operand): Tensor => compare('lessEqual', a, b);
export const equal = (a: Tensor, b: Operand): Tensor => compare('equal', a, b);
export const and = (a: Tensor, b: Tensor): Tensor => apply1('and', [a, b]);
export const not = (a: Tensor): Tensor => apply1('not', [a]);
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphError('no-tensor', 'where: a or b must be a tensor');
  const ta = typeof a === 'number' ? lift(a, b as Tensor) : a;
  return apply1('where', [cond, ta, lift(b, ta)]);
}
export function cast(x: Tensor, to: DType): Tensor {
  return x.dtype === to ? x : apply1('cast', [x], { to });
}
export function clip(x: Tensor, min: number, max: number): Tensor {
  return apply1('clip', [x], { min, max });
}
