/**
 * The small optimisation problems several methods solve, written once: minimisation over the
 * probability simplex (MGDA's min-norm point, CAGrad's inner problem) and the quadratic programme
 * min vᵀGv subject to v ≥ u (UPGrad's projection onto the dual cone). All are T-dimensional.
 */
import { matVec, quadratic } from './linalg.js';

/** Euclidean projection onto {x ≥ 0, Σx = 1} (the sort-based rule of Held, Wolfe and Crowder). */
export function projectOntoSimplex(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const u = Array.from(v).sort((a, b) => b - a);
  let cumulative = 0;
  let theta = 0;
  for (let k = 0; k < n; k++) {
    cumulative += u[k]!;
    const t = (cumulative - 1) / (k + 1);
    if (u[k]! - t > 0) theta = t;
  }
  return Float64Array.from(v, (x) => Math.max(0, x - theta));
}

/**
 * Projected gradient descent on the simplex with backtracking (Armijo) line search, from the
 * uniform point. Deterministic; stops when a step no longer moves the point.
 */
export function minimizeOnSimplex(f: (x: Float64Array) => number, gradient: (x: Float64Array) => Float64Array, n: number, iterations = 2000): Float64Array {
  let x: Float64Array = new Float64Array(n).fill(1 / n);
  let fx = f(x);
  let step = 1;
  for (let it = 0; it < iterations; it++) {
    const g = gradient(x);
    let moved = false;
    for (let tries = 0; tries < 60; tries++) {
      const y = projectOntoSimplex(x.map((xi, i) => xi - step * g[i]!));
      let decrease = 0;
      let distance = 0;
      for (let i = 0; i < n; i++) {
        decrease += g[i]! * (x[i]! - y[i]!);
        distance += (x[i]! - y[i]!) ** 2;
      }
      if (distance <= 1e-30) break;
      const fy = f(y);
      if (fy <= fx - (0.5 * distance) / step || fy <= fx - 1e-4 * decrease) {
        x = y;
        fx = fy;
        moved = true;
        step *= 2;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return x;
}

/** MGDA's min-norm point: argmin over the simplex of αᵀGα, the weights of the smallest-norm convex combination. */
export function minNormOnSimplex(gram: Float64Array, n: number): Float64Array {
  return minimizeOnSimplex((x) => quadratic(gram, x, n), (x) => matVec(gram, x, n).map((v) => 2 * v), n);
}

/**
 * argmin vᵀGv subject to v ≥ lower, by projected Gauss–Seidel (exact coordinate minimisation, then
 * clipping), which converges for a positive semi-definite G. A coordinate with G_kk = 0 has no
 * curvature and stays at its bound.
 */
export function minQuadraticAbove(gram: Float64Array, lower: ArrayLike<number>, n: number, sweeps = 5000): Float64Array {
  const v = Float64Array.from(lower);
  for (let s = 0; s < sweeps; s++) {
    let change = 0;
    for (let k = 0; k < n; k++) {
      const gkk = gram[k * n + k]!;
      if (gkk <= 0) continue;
      let r = 0;
      for (let j = 0; j < n; j++) if (j !== k) r += gram[k * n + j]! * v[j]!;
      const next = Math.max(lower[k]!, -r / gkk);
      change = Math.max(change, Math.abs(next - v[k]!));
      v[k] = next;
    }
    if (change <= 1e-15) break;
  }
  return v;
}
