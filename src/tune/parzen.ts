/**
 * One-dimensional Parzen estimators as TPE uses them (Bergstra et al. 2011): a mixture of Gaussians,
 * one per observed value plus a wide prior one, truncated to the parameter's range. Each kernel's
 * width is the larger gap to its neighbours, clipped so that a few close points neither collapse
 * to a spike nor spread wider than the range.
 */
import type { Random } from '../util/random.js';

export interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  low: number;
  high: number;
}

export function fitParzen(values: number[], low: number, high: number): Parzen {
  const span = high - low;
  const points = [...values, (low + high) / 2].sort((a, b) => a - b);
  const minSigma = span / Math.min(100, 1 + values.length);
  const sigmas = points.map((mu, i) => {
    const left = mu - (i > 0 ? points[i - 1]! : low);
    const right = (i < points.length - 1 ? points[i + 1]! : high) - mu;
    return Math.min(span, Math.max(minSigma, left, right));
  });
  // The prior kernel spans the whole range whatever its neighbours.
  const prior = points.indexOf((low + high) / 2);
  sigmas[prior] = span;
  return { mus: points, sigmas, weights: points.map(() => 1 / points.length), low, high };
}

/** Standard normal CDF through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function parzenLogDensity(p: Parzen, x: number): number {
  let sum = 0;
  for (let i = 0; i < p.mus.length; i++) {
    const s = p.sigmas[i]!;
    const mass = phi((p.high - p.mus[i]!) / s) - phi((p.low - p.mus[i]!) / s);
    const z = (x - p.mus[i]!) / s;
    sum += (p.weights[i]! * Math.exp(-0.5 * z * z)) / (s * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return Math.log(Math.max(sum, 1e-300));
}

export function sampleParzen(p: Parzen, random: Random): number {
  let u = random.next();
  let k = 0;
  while (k < p.weights.length - 1 && u >= p.weights[k]!) u -= p.weights[k++]!;
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = random.normal(p.mus[k]!, p.sigmas[k]!);
    if (x >= p.low && x <= p.high) return x;
  }
  return Math.min(p.high, Math.max(p.low, p.mus[k]!));
}
