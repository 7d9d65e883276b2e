/** Matrix products, (log-)softmax, and embedding lookup. */
import { GraphError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import { makeTensor } from '../onnx-proto.js';
import { apply1, defineOp, requireFloat, requireSameDType } from '../op.js';
import { broadcastShapes, normAxes, shapeToString } from '../shape.js';
import { direct, inp, out } from './common.js';
import { mul, sub, unbroadcast } from './arith.js';
import { exp } from './unary.js';
import { reduceSum, transpose } from './reduce-shape.js';

/** [..., m, k] × [..., k, n]; leading dimensions broadcast. */
defineOp('matmul', {
  infer: ([a, b]) => {
    requireFloat('matmul', a!, b!);
    requireSameDType('matmul', a!, b!);
    if (a!.rank < 2 || b!.rank < 2 || a!.shape[a!.rank - 1] !== b!.shape[b!.rank - 2]) {
      throw new GraphError('shape-mismatch', `matmul: shapes ${shapeToString(a!.shape)} and ${shapeToString(b!.shape)} do not fit (inner dimensions must agree)`, {
        op: 'matmul',
        shapes: [a!.shape, b!.shape],
      });
    }
    const lead = broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return [{ dtype: a!.dtype, shape: [...lead, a!.shape[a!.rank - 2]!, b!.shape[b!.rank - 1]!] }];
  },
  emit: direct('MatMul'),
  vjp: (n, [g]) => {
    const a = inp(n, 0);
    const b = inp(n, 1);
    return [unbroadcast(matmul(g!, swapLast(b)), a), unbroadcast(matmul(swapLast(a), g!), b)];
  },
});

function swapLast(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return transpose(x, perm);
}

defineOp('softmax', {
  infer: ([x]) => {
    requireFloat('softmax', x!);
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  emit: direct('Softmax', (n) => ({ axis: n.attrs.axis as number })),
  vjp: (n, [g]) => {
    const y = out(n);
    return [mul(y, sub(g!, reduceSum(mul(g!, y), [n.attrs.axis as number], true)))];
  },
});

defineOp('logSoftmax', {
  infer: ([x]) => {
    requireFloat('logSoftmax', x!);
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  emit: direct('LogSoftmax', (n) => ({ axis: n.attrs.axis as number })),
  vjp: (n, [g]) => [sub(g!, mul(exp(out(n)), reduceSum(g!, [n.attrs.axis as number], true)))],
});

/** Rows of `table` ([V, D]) picked by int64 `indices` (any shape): an embedding lookup. */
defineOp('gather', {
  infer: ([table, idx]) => {
    if (idx!.dtype !== 'int64') throw new GraphError('dtype-mismatch', `gather: indices must be int64, got ${idx}`, { op: 'gather' });
    return [{ dtype: table!.dtype, shape: [...idx!.shape, ...table!.shape.slice(1)] }];
  },
  emit: direct('Gather', () => ({ axis: 0 })),
  vjp: (n, [g]) => [scatterAddRows(inp(n, 0), inp(n, 1), g!), null],
});

/** zeros shaped like `like`, with `updates` added at rows `indices` (duplicates accumulate). */
defineOp('scatterAddRows', {
  infer: ([like]) => [{ dtype: like!.dtype, shape: like!.shape }],
  emit: (e, n) => {
    const [like, idx, upd] = n.inputs as [Tensor, Tensor, Tensor];
    const shape = e.node('Shape', [e.name(like)])[0]!;
    const zeros = e.node('ConstantOfShape', [shape], { value: makeTensor('value', like.dtype, [1], [0]) })[0]!;
    const idx1 = e.node('Unsqueeze', [e.name(idx), e.ints([-1])])[0]!;
    e.node('ScatterND', [zeros, idx1, e.name(upd)], { reduction: 'add' }, [e.name(out(n))]);
  },
});

export function matmul(a: Tensor, b: Tensor): Tensor {
  return apply1('matmul', [a, b]);
}
export function softmax(x: Tensor, axis = -1): Tensor {
  return apply1('softmax', [x], { axis: normAxes('softmax', [axis], x.rank)[0]! });
}
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return apply1('logSoftmax', [x], { axis: normAxes('logSoftmax', [axis], x.rank)[0]! });
}
export function gather(table: Tensor, indices: Tensor): Tensor {
  return apply1('gather', [table, indices]);
}
function scatterAddRows(like: Tensor, indices: Tensor, updates: Tensor): Tensor {
  return apply1('scatterAddRows', [like, indices, updates]);
}
