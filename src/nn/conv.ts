/**
 * Image layers over [N, C, H, W]: a convolution with bias, group normalisation, and the block an
 * image trunk stacks (conv → group norm → activation → pool). Group norm rather than batch norm:
 * its statistics are per example, so it behaves the same at batch size 2 as at 256 and the
 * training and evaluation graphs need no running averages.
 */
import { GraphError } from '../errors.js';
import {
  add, avgPool2d, conv2d, div, maxPool2d, mul, reduceMean, reshape, sqrt, square, sub,
  type Conv2dOptions, type Tensor,
} from '../graph/index.js';
import type { BuildContext } from './context.js';
import { activate, type Activation } from './layers.js';

export type Pool = 'max' | 'avg' | 'none';

/** Normalise each example's channels in `groups` groups to mean 0 and variance 1 (no gain or bias). */
export function groupNormalize(x: Tensor, groups: number, eps = 1e-5): Tensor {
  const [n, c, h, w] = x.shape;
  if (x.rank !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number' || c % groups !== 0) {
    throw new GraphError('shape-mismatch', `groupNorm: expects [N, C, H, W] with C divisible by ${groups} groups, got ${x}`, { op: 'groupNorm' });
  }
  const grouped = reshape(x, [n!, groups, (c / groups) * h * w]);
  const centered = sub(grouped, reduceMean(grouped, [2], true));
  const variance = reduceMean(square(centered), [2], true);
  return reshape(div(centered, sqrt(add(variance, eps))), [...x.shape]);
}

/** Group norm with a learned gain and bias per channel. */
export function groupNorm(ctx: BuildContext, name: string, x: Tensor, groups: number, eps = 1e-5): Tensor {
  const c = x.shape[1] as number;
  const gain = ctx.param(`${name}.gain`, [c, 1, 1], { kind: 'constant', value: 1 });
  const bias = ctx.param(`${name}.bias`, [c, 1, 1], { kind: 'constant', value: 0 });
  return add(mul(groupNormalize(x, groups, eps), gain), bias);
}

/** A square `kernel` convolution to `filters` channels with a bias, He-initialised over its true fans. */
export function conv(ctx: BuildContext, name: string, x: Tensor, filters: number, kernel: number, options: Conv2dOptions = {}): Tensor {
  const groups = options.groups ?? 1;
  const perGroup = (x.shape[1] as number) / groups;
  const taps = kernel * kernel;
  const w = ctx.param(`${name}.w`, [filters, perGroup, kernel, kernel], { kind: 'he-uniform' }, [perGroup * taps, (filters / groups) * taps]);
  const b = ctx.param(`${name}.b`, [filters, 1, 1], { kind: 'constant', value: 0 });
  return add(conv2d(x, w, options), b);
}

export interface ConvBlockOptions {
  filters: number;
  kernel?: number;
  /** Group norm groups, dividing `filters`; 0 leaves the block unnormalised. Default: the largest divisor up to 8. */
  normGroups?: number;
  activation?: Activation;
  pool?: Pool;
}

/** conv ('same' padding) → group norm → activation → 2×2 pool, halving height and width. */
export function convBlock(ctx: BuildContext, name: string, x: Tensor, o: ConvBlockOptions): Tensor {
  const k = o.kernel ?? 3;
  const before = Math.floor((k - 1) / 2);
  const after = k - 1 - before;
  let y = conv(ctx, `${name}.conv`, x, o.filters, k, { pads: [before, before, after, after] });
  const groups = o.normGroups ?? largestDivisor(o.filters, 8);
  if (groups > 0) y = groupNorm(ctx, `${name}.norm`, y, groups);
  return pool(activate(y, o.activation ?? 'relu'), o.pool ?? 'max');
}

function largestDivisor(n: number, atMost: number): number {
  for (let d = Math.min(n, atMost); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/** A 2×2 pool of the kind named, or the input unchanged for 'none'. */
export function pool(x: Tensor, kind: Pool): Tensor {
  switch (kind) {
    case 'max': return maxPool2d(x, [2, 2]);
    case 'avg': return avgPool2d(x, [2, 2]);
    case 'none': return x;
  }
}
