/** Elementwise binary arithmetic with broadcasting, and reducing gradients back to input shapes. */
import { GraphError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import { apply1, defineOp, requireSameDType } from '../op.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { direct, inp, lift, out, type Operand } from './common.js';
import { reduceSum, reshape } from './reduce-shape.js';

function binaryInfer(op: string) {
  return (inputs: Tensor[]) => {
    const [a, b] = inputs as [Tensor, Tensor];
    requireSameDType(op, a, b);
    return [{ dtype: a.dtype, shape: broadcastShapes(op, a.shape, b.shape) }];
  };
}

/** Sum a broadcast gradient back down to `target`'s shape. */
export function unbroadcast(g: Tensor, target: Tensor): Tensor {
  if (sameShape(g.shape, target.shape)) return g;
  const lead = g.rank - target.rank;
  if (lead < 0) throw new GraphError('internal', `unbroadcast: gradient ${g} has lower rank than ${target}`);
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (target.shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? reduceSum(g, axes, true) : g;
  return sameShape(summed.shape, target.shape) ? summed : reshape(summed, [...target.shape]);
}

defineOp('add', {
  infer: binaryInfer('add'),
  emit: direct('Add'),
  vjp: (n, [g]) => [unbroadcast(g!, inp(n, 0)), unbroadcast(g!, inp(n, 1))],
});
defineOp('sub', {
  infer: binaryInfer('sub'),
  emit: direct('Sub'),
  vjp: (n, [g]) => [unbroadcast(g!, inp(n, 0)), unbroadcast(neg(g!), inp(n, 1))],
});
defineOp('mul', {
  infer: binaryInfer('mul'),
  emit: direct('Mul'),
  vjp: (n, [g]) => [unbroadcast(mul(g!, inp(n, 1)), inp(n, 0)), unbroadcast(mul(g!, inp(n, 0)), inp(n, 1))],
});
defineOp('div', {
  infer: binaryInfer('div'),
  emit: direct('Div'),
  vjp: (n, [g]) => {
    const b = inp(n, 1);
    const ga = div(g!, b);
    return [unbroadcast(ga, inp(n, 0)), unbroadcast(neg(mul(ga, out(n))), b)];
  },
});
defineOp('neg', {
  infer: ([a]) => [{ dtype: a!.dtype, shape: a!.shape }],
  emit: direct('Neg'),
  vjp: (_n, [g]) => [neg(g!)],
});
/** x ** p for a constant exponent p (attrs.p). */
defineOp('pow', {
  infer: ([a]) => [{ dtype: a!.dtype, shape: a!.shape }],
  emit: (e, n) => {
    e.node('Pow', [e.name(inp(n, 0)), e.scalar(n.attrs.p as number, inp(n, 0).dtype)], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const p = n.attrs.p as number;
    return [mul(g!, mul(p, pow(inp(n, 0), p - 1)))];
  },
});

function binary(op: string, a: Operand, b: Operand): Tensor {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphError('no-tensor', `${op}: needs at least one tensor`);
  const ta = typeof a === 'number' ? lift(a, b as Tensor) : a;
  const tb = lift(b, ta);
  return apply1(op, [ta, tb]);
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b);
export const neg = (a: Tensor): Tensor => apply1('neg', [a]);
export const pow = (a: Tensor, p: number): Tensor => (p === 1 ? a : apply1('pow', [a], { p }));
export const square = (a: Tensor): Tensor => mul(a, a);
