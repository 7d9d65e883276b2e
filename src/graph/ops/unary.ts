/** Elementwise functions; derivatives written with other ops, composites built from primitives. */
import type { Tensor } from '../graph.js';
import { apply1, defineOp, requireFloat } from '../op.js';
import { direct, inp, out } from './common.js';
import { add, div, mul, neg, square, sub } from './arith.js';
import { greater, where } from './logic.js';

function unary(name: string, onnxOp: string, vjp: (x: Tensor, y: Tensor, g: Tensor) => Tensor): void {
  defineOp(name, {
    infer: ([x]) => {
      requireFloat(name, x!);
      return [{ dtype: x!.dtype, shape: x!.shape }];
    },
    emit: direct(onnxOp),
    vjp: (n, [g]) => [vjp(inp(n, 0), out(n), g!)],
  });
}

unary('exp', 'Exp', (_x, y, g) => mul(g, y));
unary('log', 'Log', (x, _y, g) => div(g, x));
unary('sqrt', 'Sqrt', (_x, y, g) => div(mul(g, 0.5), y));
unary('relu', 'Relu', (x, _y, g) => where(greater(x, 0), g, 0));
unary('sigmoid', 'Sigmoid', (_x, y, g) => mul(g, mul(y, sub(1, y))));
unary('tanh', 'Tanh', (_x, y, g) => mul(g, sub(1, square(y))));
unary('abs', 'Abs', (x, _y, g) => where(greater(x, 0), g, neg(g)));

export const exp = (x: Tensor): Tensor => apply1('exp', [x]);
export const log = (x: Tensor): Tensor => apply1('log', [x]);
export const sqrt = (x: Tensor): Tensor => apply1('sqrt', [x]);
export const relu = (x: Tensor): Tensor => apply1('relu', [x]);
export const sigmoid = (x: Tensor): Tensor => apply1('sigmoid', [x]);
export const tanh = (x: Tensor): Tensor => apply1('tanh', [x]);
export const abs = (x: Tensor): Tensor => apply1('abs', [x]);

/**
 * GELU in its tanh form (PyTorch's approximate='tanh'): onnxruntime has no float64 Erf, and the
 * tanh form keeps every op checkable in float64.
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(Math.sqrt(2 / Math.PI), add(x, mul(0.044715, mul(x, square(x)))));
  return mul(mul(x, 0.5), add(1, tanh(inner)));
}
