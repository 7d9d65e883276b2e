/** Reductions, broadcasting back, and the shape ops: reshape, transpose, (un)squeeze, concat, slice, pad. */
import { GraphError } from '../../errors.js';
import type { Attrs, Node, Tensor } from '../graph.js';
import { apply1, defineOp, requireFloat, type EmitContext } from '../op.js';
import { isStatic, normAxes, shapeToString, sizeOfStatic, type Dim, type Shape } from '../shape.js';
import { direct, inp, out } from './common.js';
import { div, mul } from './arith.js';
import { cast, equal } from './logic.js';

function reducedShape(s: Shape, axes: number[], keep: boolean): Dim[] {
  const r: Dim[] = [];
  s.forEach((d, i) => {
    if (!axes.includes(i)) r.push(d);
    else if (keep) r.push(1);
  });
  return r;
}

function reduceInfer(op: string) {
  return ([x]: Tensor[], a: Attrs) => {
    requireFloat(op, x!);
    return [{ dtype: x!.dtype, shape: reducedShape(x!.shape, a.axes as number[], a.keep as boolean) }];
  };
}

function reduceEmit(onnxOp: string) {
  return (e: EmitContext, n: Node): void => {
    e.node(onnxOp, [e.name(inp(n, 0)), e.ints(n.attrs.axes as number[])], { keepdims: n.attrs.keep ? 1 : 0 }, [e.name(out(n))]);
  };
}

/** The gradient of a reduction, with the reduced axes put back as size-1 dimensions. */
function keepDims(g: Tensor, x: Tensor, a: Attrs): Tensor {
  return a.keep ? g : reshape(g, reducedShape(x.shape, a.axes as number[], true));
}

defineOp('reduceSum', {
  infer: reduceInfer('reduceSum'),
  emit: reduceEmit('ReduceSum'),
  vjp: (n, [g]) => [broadcastTo(keepDims(g!, inp(n, 0), n.attrs), inp(n, 0))],
});
defineOp('reduceMean', {
  infer: reduceInfer('reduceMean'),
  emit: reduceEmit('ReduceMean'),
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    return [broadcastTo(div(keepDims(g!, x, n.attrs), sizeOf(x, n.attrs.axes as number[])), x)];
  },
});
/** Ties share the gradient equally, so the rule is exact where max is differentiable. */
defineOp('reduceMax', {
  infer: reduceInfer('reduceMax'),
  emit: reduceEmit('ReduceMax'),
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const y = keepDims(out(n), x, n.attrs);
    const hit = cast(equal(x, y), x.dtype);
    const count = reduceSum(hit, axes, true);
    return [mul(hit, div(keepDims(g!, x, n.attrs), count))];
  },
});

/** Expand `x` to the shape of `like` (numpy broadcasting); shapes may be symbolic. */
defineOp('broadcastTo', {
  infer: ([x, like]) => [{ dtype: x!.dtype, shape: like!.shape }],
  emit: (e, n) => {
    const like = inp(n, 1);
    const shape = isStatic(like.shape) ? e.ints([...like.shape]) : e.node('Shape', [e.name(like)])[0]!;
    e.node('Expand', [e.name(inp(n, 0)), shape], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const lead = g!.rank - x.rank;
    const axes: number[] = [];
    for (let i = 0; i < g!.rank; i++) if (i < lead || (x.shape[i - lead] === 1 && g!.shape[i] !== 1)) axes.push(i);
    const s = axes.length ? reduceSum(g!, axes, true) : g!;
    return [s.rank === x.rank ? s : reshape(s, [...x.shape]), null];
  },
});

/** Number of elements over `axes` as a scalar of x's dtype; computed at run time for symbolic dims. */
defineOp('sizeOf', {
  infer: ([x]) => [{ dtype: x!.dtype, shape: [] }],
  emit: (e, n) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const dims = axes.map((a) => x.shape[a]!);
    if (dims.every((d) => typeof d === 'number')) {
      e.node('Identity', [e.scalar(sizeOfStatic(dims as number[]), x.dtype)], {}, [e.name(out(n))]);
      return;
    }
    const shape = e.node('Shape', [e.name(x)])[0]!;
    const picked = e.node('Gather', [shape, e.ints(axes)], { axis: 0 })[0]!;
    const prod = e.node('ReduceProd', [picked], { keepdims: 0 })[0]!;
    e.node('Cast', [prod], { to: x.dtype === 'float64' ? 11 : 1 }, [e.name(out(n))]);
  },
});

defineOp('reshape', {
  infer: ([x], a) => {
    const to = a.shape as Dim[];
    const symbolic = to.filter((d) => typeof d === 'string');
    if (symbolic.length > 1) {
      throw new GraphError('reshape-symbolic', `reshape: target ${shapeToString(to)} has more than one named dimension`, { op: 'reshape' });
    }
    if (isStatic(x!.shape) && isStatic(to) && sizeOfStatic(x!.shape) !== sizeOfStatic(to)) {
      throw new GraphError('shape-mismatch', `reshape: cannot reshape ${shapeToString(x!.shape)} to ${shapeToString(to)}`, { op: 'reshape' });
    }
    return [{ dtype: x!.dtype, shape: to }];
  },
  emit: (e, n) => {
    const to = (n.attrs.shape as Dim[]).map((d) => (typeof d === 'string' ? -1 : d));
    e.node('Reshape', [e.name(inp(n, 0)), e.ints(to)], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => [reshape(g!, [...inp(n, 0).shape])],
});

defineOp('transpose', {
  infer: ([x], a) => {
    const perm = a.perm as number[];
    if (perm.length !== x!.rank || [...perm].sort().some((p, i) => p !== i)) {
      throw new GraphError('bad-perm', `transpose: perm [${perm}] is not a permutation of rank ${x!.rank} (input ${x})`, { op: 'transpose' });
    }
    return [{ dtype: x!.dtype, shape: perm.map((p) => x!.shape[p]!) }];
  },
  emit: direct('Transpose', (n) => ({ perm: n.attrs.perm as number[] })),
  vjp: (n, [g]) => {
    const perm = n.attrs.perm as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [transpose(g!, inv)];
  },
});

defineOp('unsqueeze', {
  infer: ([x], a) => {
    const s = [...x!.shape];
    s.splice(a.axis as number, 0, 1);
    return [{ dtype: x!.dtype, shape: s }];
  },
  emit: (e, n) => {
    e.node('Unsqueeze', [e.name(inp(n, 0)), e.ints([n.attrs.axis as number])], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => [squeeze(g!, n.attrs.axis as number)],
});

defineOp('squeeze', {
  infer: ([x], a) => {
    const axis = a.axis as number;
    if (x!.shape[axis] !== 1) throw new GraphError('shape-mismatch', `squeeze: axis ${axis} of ${x} is not 1`, { op: 'squeeze' });
    return [{ dtype: x!.dtype, shape: x!.shape.filter((_, i) => i !== axis) }];
  },
  emit: (e, n) => {
    e.node('Squeeze', [e.name(inp(n, 0)), e.ints([n.attrs.axis as number])], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => [unsqueeze(g!, n.attrs.axis as number)],
});

defineOp('concat', {
  infer: (xs, a) => {
    const axis = a.axis as number;
    const first = xs[0]!;
    let total: Dim = 0;
    for (const x of xs) {
      const bad = x.rank !== first.rank || x.dtype !== first.dtype || x.shape.some((d, i) => i !== axis && d !== first.shape[i]);
      if (bad) {
        throw new GraphError('shape-mismatch', `concat: ${x} does not fit ${first} along axis ${axis}`, { op: 'concat', shapes: xs.map((t) => t.shape) });
      }
      const d = x.shape[axis]!;
      if (typeof d !== 'number' || typeof total !== 'number') throw new GraphError('concat-symbolic', 'concat: the concatenated axis must have a fixed size');
      total += d;
    }
    const s = [...first.shape];
    s[axis] = total;
    return [{ dtype: first.dtype, shape: s }];
  },
  emit: direct('Concat', (n) => ({ axis: n.attrs.axis as number })),
  vjp: (n, [g]) => {
    const axis = n.attrs.axis as number;
    let start = 0;
    return n.inputs.map((x) => {
      const len = x.shape[axis] as number;
      const piece = slice(g!, axis, start, start + len);
      start += len;
      return piece;
    });
  },
});

defineOp('slice', {
  infer: ([x], a) => {
    const axis = a.axis as number;
    const d = x!.shape[axis];
    const { start, end } = a as { start: number; end: number };
    if (typeof d !== 'number' || start < 0 || end > d || start >= end) {
      throw new GraphError('bad-slice', `slice: [${start}, ${end}) is not inside axis ${axis} of ${x}`, { op: 'slice' });
    }
    const s = [...x!.shape];
    s[axis] = end - start;
    return [{ dtype: x!.dtype, shape: s }];
  },
  emit: (e, n) => {
    const { axis, start, end } = n.attrs as { axis: number; start: number; end: number };
    e.node('Slice', [e.name(inp(n, 0)), e.ints([start]), e.ints([end]), e.ints([axis])], {}, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const { axis, start, end } = n.attrs as { axis: number; start: number; end: number };
    const d = inp(n, 0).shape[axis] as number;
    return [pad(g!, axis, start, d - end)];
  },
});

/** Zero padding along one axis. */
defineOp('pad', {
  infer: ([x], a) => {
    const axis = a.axis as number;
    const d = x!.shape[axis];
    if (typeof d !== 'number') throw new GraphError('pad-symbolic', 'pad: the padded axis must have a fixed size');
    const s = [...x!.shape];
    s[axis] = d + (a.before as number) + (a.after as number);
    return [{ dtype: x!.dtype, shape: s }];
  },
  emit: (e, n) => {
    const x = inp(n, 0);
    const { axis, before, after } = n.attrs as { axis: number; before: number; after: number };
    const pads = new Array<number>(2 * x.rank).fill(0);
    pads[axis] = before;
    pads[x.rank + axis] = after;
    e.node('Pad', [e.name(x), e.ints(pads)], { mode: 'constant' }, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const { axis, before } = n.attrs as { axis: number; before: number };
    const d = inp(n, 0).shape[axis] as number;
    return [slice(g!, axis, before, before + d)];
  },
});

export function reduceSum(x: Tensor, axes: number[], keep = false): Tensor {
  return apply1('reduceSum', [x], { axes: normAxes('reduceSum', axes, x.rank), keep });
}
export function reduceMean(x: Tensor, axes: number[], keep = false): Tensor {
  return apply1('reduceMean', [x], { axes: normAxes('reduceMean', axes, x.rank), keep });
}
export function reduceMax(x: Tensor, axes: number[], keep = false): Tensor {
  return apply1('reduceMax', [x], { axes: normAxes('reduceMax', axes, x.rank), keep });
}
/** Sum of every element, as a scalar. */
export function sumAll(x: Tensor): Tensor {
  return x.rank === 0 ? x : reduceSum(x, x.shape.map((_, i) => i));
}
export function broadcastTo(x: Tensor, like: Tensor): Tensor {
  return apply1('broadcastTo', [x, like]);
}
export function sizeOf(x: Tensor, axes: number[]): Tensor {
  return apply1('sizeOf', [x], { axes: normAxes('sizeOf', axes, x.rank) });
}
export function reshape(x: Tensor, shape: Dim[]): Tensor {
  return apply1('reshape', [x], { shape });
}
export function transpose(x: Tensor, perm: number[]): Tensor {
  return apply1('transpose', [x], { perm });
}
export function unsqueeze(x: Tensor, axis: number): Tensor {
  return apply1('unsqueeze', [x], { axis: normAxes('unsqueeze', [axis], x.rank + 1)[0]! });
}
export function squeeze(x: Tensor, axis: number): Tensor {
  return apply1('squeeze', [x], { axis: normAxes('squeeze', [axis], x.rank)[0]! });
}
export function concat(xs: Tensor[], axis: number): Tensor {
  if (xs.length === 1) return xs[0]!;
  return apply1('concat', xs, { axis: normAxes('concat', [axis], xs[0]!.rank)[0]! });
}
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  return apply1('slice', [x], { axis: normAxes('slice', [axis], x.rank)[0]!, start, end });
}
export function pad(x: Tensor, axis: number, before: number, after: number): Tensor {
  return apply1('pad', [x], { axis: normAxes('pad', [axis], x.rank)[0]!, before, after });
}
/** Equal pieces along an axis. */
export function split(x: Tensor, axis: number, parts: number): Tensor[] {
  const d = x.shape[axis < 0 ? axis + x.rank : axis];
  if (typeof d !== 'number' || d % parts !== 0) {
    throw new GraphError('bad-split', `split: axis ${axis} of ${x} does not divide into ${parts} parts`, { op: 'split' });
  }
  const len = d / parts;
  return Array.from({ length: parts }, (_, i) => slice(x, axis, i * len, (i + 1) * len));
}
