/**
 * 2-D convolution, its transpose, and pooling over [N, C, H, W] tensors (the ONNX layout).
 * Spatial sizes and channels must be fixed; the batch may be named. The transposed convolution
 * is the adjoint of convolution, so each is the other's input gradient, and both weight
 * gradients are one convolution of the input with the output gradient (batch and channel axes
 * swapped): second derivatives come for free.
 */
import { GraphError } from '../../errors.js';
import type { Attrs, Node, Tensor } from '../graph.js';
import { apply, apply1, defineOp, requireFloat, requireSameDType } from '../op.js';
import { shapeToString, type Dim } from '../shape.js';
import { inp, out } from './common.js';
import { reduceMean, reshape, slice, transpose, unsqueeze } from './reduce-shape.js';

export interface Conv2dOptions {
  strides?: [number, number];
  /** [top, left, bottom, right], as ONNX orders them. */
  pads?: [number, number, number, number];
  dilations?: [number, number];
  groups?: number;
}

export interface Pool2dOptions {
  strides?: [number, number];
  pads?: [number, number, number, number];
}

interface ConvAttrs {
  strides: number[];
  pads: number[];
  dilations: number[];
  groups: number;
}

interface PoolAttrs {
  kernel: number[];
  strides: number[];
  pads: number[];
}

function fail(op: string, message: string, shapes: Tensor[]): never {
  throw new GraphError('shape-mismatch', `${op}: ${message} (shapes ${shapes.map((t) => shapeToString(t.shape)).join(', ')})`, {
    op,
    shapes: shapes.map((t) => t.shape),
  });
}

function fixed(op: string, d: Dim | undefined, what: string, ts: Tensor[]): number {
  if (typeof d !== 'number') fail(op, `the ${what} must have a fixed size`, ts);
  return d;
}

/** Output length of a window of `k` taps `d` apart slid with stride `s` over a padded axis. */
function slid(op: string, len: number, k: number, s: number, before: number, after: number, d: number, ts: Tensor[]): number {
  const span = len + before + after - ((k - 1) * d + 1);
  if (span < 0) fail(op, `a window of ${k} (dilation ${d}) does not fit an axis of ${len} padded by ${before}+${after}`, ts);
  return Math.floor(span / s) + 1;
}

function spatial(x: Tensor, op: string, ts: Tensor[]): [number, number] {
  return [fixed(op, x.shape[2], 'height', ts), fixed(op, x.shape[3], 'width', ts)];
}

function onnxConvAttrs(n: Node) {
  const a = n.attrs as unknown as ConvAttrs;
  const w = inp(n, 1);
  return { kernel_shape: [w.shape[2] as number, w.shape[3] as number], strides: a.strides, pads: a.pads, dilations: a.dilations, group: a.groups };
}

function checkConvInputs(op: string, x: Tensor, w: Tensor): void {
  requireFloat(op, x, w);
  requireSameDType(op, x, w);
  if (x.rank !== 4 || w.rank !== 4) fail(op, 'expects an input [N, C, H, W] and a kernel [M, C/groups, kH, kW]', [x, w]);
  fixed(op, w.shape[2], 'kernel height', [x, w]);
  fixed(op, w.shape[3], 'kernel width', [x, w]);
}

/** x [N, C, H, W] ⋆ w [M, C/groups, kH, kW] → [N, M, H', W']. */
defineOp('conv2d', {
  infer: ([x, w], attrs) => {
    const a = attrs as unknown as ConvAttrs;
    checkConvInputs('conv2d', x!, w!);
    const [c, cg, m] = [x!.shape[1], w!.shape[1], w!.shape[0]];
    const grouped = typeof c === 'number' && typeof cg === 'number' ? c === cg * a.groups : a.groups !== 1 || c === cg;
    if (!grouped || typeof m !== 'number' || m % a.groups !== 0) {
      fail('conv2d', `the input's ${c} channels in ${a.groups} group(s) do not fit a kernel of ${m} filters over ${cg} channels`, [x!, w!]);
    }
    const [h, wd] = spatial(x!, 'conv2d', [x!, w!]);
    const ho = slid('conv2d', h, w!.shape[2] as number, a.strides[0]!, a.pads[0]!, a.pads[2]!, a.dilations[0]!, [x!, w!]);
    const wo = slid('conv2d', wd, w!.shape[3] as number, a.strides[1]!, a.pads[1]!, a.pads[3]!, a.dilations[1]!, [x!, w!]);
    return [{ dtype: x!.dtype, shape: [x!.shape[0]!, m, ho, wo] }];
  },
  emit: (e, n) => {
    e.node('Conv', [e.name(inp(n, 0)), e.name(inp(n, 1))], onnxConvAttrs(n), [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const [x, w] = [inp(n, 0), inp(n, 1)];
    const a = n.attrs as unknown as ConvAttrs;
    return [convT(g!, w, a, adjointPadding(x, g!, w, a)), convWeightGrad(x, g!, w, a)];
  },
});

/** g [N, M, H, W] with w [M, C/groups, kH, kW] → [N, C, H', W']: the adjoint of conv2d. */
defineOp('convTranspose2d', {
  infer: ([g, w], attrs) => {
    const a = attrs as unknown as ConvAttrs & { outputPadding: number[] };
    checkConvInputs('convTranspose2d', g!, w!);
    const [m, cg] = [g!.shape[1], w!.shape[1]];
    if (m !== w!.shape[0] || typeof cg !== 'number') fail('convTranspose2d', `the input's ${m} channels do not match the kernel's ${w!.shape[0]}`, [g!, w!]);
    if (a.outputPadding.some((p, i) => p < 0 || p >= Math.max(a.strides[i]!, a.dilations[i]!))) {
      throw new GraphError('bad-pads', `convTranspose2d: output padding [${a.outputPadding}] must be at least 0 and below the stride [${a.strides}] (or dilation)`, { op: 'convTranspose2d' });
    }
    const [h, wd] = spatial(g!, 'convTranspose2d', [g!, w!]);
    const size = (len: number, axis: 0 | 1): number =>
      a.strides[axis]! * (len - 1) + a.outputPadding[axis]! + ((w!.shape[2 + axis] as number) - 1) * a.dilations[axis]! + 1 - a.pads[axis]! - a.pads[axis + 2]!;
    return [{ dtype: g!.dtype, shape: [g!.shape[0]!, cg * a.groups, size(h, 0), size(wd, 1)] }];
  },
  emit: (e, n) => {
    const attrs = { ...onnxConvAttrs(n), output_padding: n.attrs.outputPadding as number[] };
    e.node('ConvTranspose', [e.name(inp(n, 0)), e.name(inp(n, 1))], attrs, [e.name(out(n))]);
  },
  vjp: (n, [gy]) => {
    const [g, w] = [inp(n, 0), inp(n, 1)];
    const a = n.attrs as unknown as ConvAttrs;
    return [conv(gy!, w, a), convWeightGrad(gy!, g, w, a)];
  },
});

/** The output padding that makes the transposed convolution give back x's spatial size. */
function adjointPadding(x: Tensor, y: Tensor, w: Tensor, a: ConvAttrs): [number, number] {
  const one = (axis: 0 | 1): number =>
    (x.shape[2 + axis] as number) -
    (a.strides[axis]! * ((y.shape[2 + axis] as number) - 1) + ((w.shape[2 + axis] as number) - 1) * a.dilations[axis]! + 1 - a.pads[axis]! - a.pads[axis + 2]!);
  return [one(0), one(1)];
}

/**
 * ∂L/∂w for y = conv2d(x, w): a convolution of x (channels as batch, the batch as channels) with
 * g (the same swap) as kernel, strides and dilations exchanged; groups keep their own batch block.
 * Padding at the far end can add rows past the kernel, which are cut off.
 */
function convWeightGrad(x: Tensor, g: Tensor, w: Tensor, a: ConvAttrs): Tensor {
  const [n, c, h, wd] = x.shape as [Dim, number, number, number];
  const perChannel = c / a.groups;
  let xs = transpose(x, [1, 0, 2, 3]);
  if (a.groups > 1) {
    const blocks = transpose(reshape(x, [n, a.groups, perChannel, h, wd]), [2, 1, 0, 3, 4]);
    xs = reshape(blocks, [perChannel, typeof n === 'number' ? n * a.groups : `${n}*${a.groups}`, h, wd]);
  }
  const full = conv(xs, transpose(g, [1, 0, 2, 3]), { strides: a.dilations, dilations: a.strides, pads: a.pads, groups: a.groups });
  const [kh, kw] = [w.shape[2] as number, w.shape[3] as number];
  const cutH = full.shape[2] === kh ? full : slice(full, 2, 0, kh);
  const cut = cutH.shape[3] === kw ? cutH : slice(cutH, 3, 0, kw);
  return transpose(cut, [1, 0, 2, 3]);
}

function poolInfer(op: string) {
  return ([x]: Tensor[], attrs: Attrs) => {
    const a = attrs as unknown as PoolAttrs;
    requireFloat(op, x!);
    if (x!.rank !== 4) fail(op, 'expects an input [N, C, H, W]', [x!]);
    const [h, w] = spatial(x!, op, [x!]);
    const ho = slid(op, h, a.kernel[0]!, a.strides[0]!, a.pads[0]!, a.pads[2]!, 1, [x!]);
    const wo = slid(op, w, a.kernel[1]!, a.strides[1]!, a.pads[1]!, a.pads[3]!, 1, [x!]);
    return [{ dtype: x!.dtype, shape: [x!.shape[0]!, x!.shape[1]!, ho, wo] }];
  };
}

function onnxPoolAttrs(n: Node) {
  const a = n.attrs as unknown as PoolAttrs;
  return { kernel_shape: a.kernel, strides: a.strides, pads: a.pads };
}

/** Also outputs the flat index of each maximum, through which the gradient flows back. */
defineOp('maxPool2d', {
  infer: (xs, attrs) => {
    const [y] = poolInfer('maxPool2d')(xs, attrs);
    return [y!, { dtype: 'int64', shape: y!.shape }];
  },
  emit: (e, n) => {
    e.node('MaxPool', [e.name(inp(n, 0))], onnxPoolAttrs(n), [e.name(out(n, 0)), e.name(out(n, 1))]);
  },
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const [b, c, h, w] = x.shape as [Dim, number, number, number];
    const rows = reshape(x, [typeof b === 'number' ? b * c * h * w : `${b}*${c * h * w}`, 1]);
    const spread = apply1('scatterAddRows', [rows, out(n, 1), unsqueeze(g!, -1)]);
    return [reshape(spread, [...x.shape])];
  },
});

/** Padding counts in the divisor (count_include_pad), so the pool is a fixed depthwise convolution. */
defineOp('avgPool2d', {
  infer: poolInfer('avgPool2d'),
  emit: (e, n) => {
    e.node('AveragePool', [e.name(inp(n, 0))], { ...onnxPoolAttrs(n), count_include_pad: 1 }, [e.name(out(n))]);
  },
  vjp: (n, [g]) => {
    const x = inp(n, 0);
    const a = n.attrs as unknown as PoolAttrs;
    const c = x.shape[1] as number;
    const taps = a.kernel[0]! * a.kernel[1]!;
    const spread = x.graph.constant(new Array<number>(c * taps).fill(1 / taps), x.dtype, [c, 1, a.kernel[0]!, a.kernel[1]!]);
    const attrs: ConvAttrs = { strides: a.strides, pads: a.pads, dilations: [1, 1], groups: c };
    return [convT(g!, spread, attrs, adjointPadding(x, g!, spread, attrs))];
  },
});

function convAttrs(o: Conv2dOptions): ConvAttrs {
  return { strides: o.strides ?? [1, 1], pads: o.pads ?? [0, 0, 0, 0], dilations: o.dilations ?? [1, 1], groups: o.groups ?? 1 };
}

function conv(x: Tensor, w: Tensor, a: ConvAttrs): Tensor {
  return apply1('conv2d', [x, w], { strides: a.strides, pads: a.pads, dilations: a.dilations, groups: a.groups });
}

function convT(g: Tensor, w: Tensor, a: ConvAttrs, outputPadding: number[]): Tensor {
  return apply1('convTranspose2d', [g, w], { strides: a.strides, pads: a.pads, dilations: a.dilations, groups: a.groups, outputPadding });
}

function poolAttrs(op: string, kernel: [number, number], o: Pool2dOptions): PoolAttrs {
  const pads = o.pads ?? [0, 0, 0, 0];
  if (pads.some((p, i) => p >= kernel[i % 2]!)) {
    throw new GraphError('bad-pads', `${op}: pads [${pads}] must each be smaller than the window [${kernel}]`, { op });
  }
  return { kernel, strides: o.strides ?? kernel, pads };
}

export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  return conv(x, w, convAttrs(options));
}

/** The transposed convolution; `outputPadding` adds rows and columns at the far end. */
export function convTranspose2d(g: Tensor, w: Tensor, options: Conv2dOptions = {}, outputPadding: [number, number] = [0, 0]): Tensor {
  return convT(g, w, convAttrs(options), outputPadding);
}

/** Max over windows of `kernel`; strides default to the window (non-overlapping). */
export function maxPool2d(x: Tensor, kernel: [number, number], options: Pool2dOptions = {}): Tensor {
  return apply('maxPool2d', [x], { ...poolAttrs('maxPool2d', kernel, options) })[0]!;
}

/** Mean over windows of `kernel`; strides default to the window (non-overlapping). */
export function avgPool2d(x: Tensor, kernel: [number, number], options: Pool2dOptions = {}): Tensor {
  return apply1('avgPool2d', [x], { ...poolAttrs('avgPool2d', kernel, options) });
}

/** [N, C, H, W] → [N, C]: the mean of each channel. */
export function globalAvgPool2d(x: Tensor): Tensor {
  return reduceMean(x, [2, 3]);
}
