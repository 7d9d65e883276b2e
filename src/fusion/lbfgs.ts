/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithms 7.4–7.5)
 * with a backtracking Armijo line search — enough for the smooth, strictly convex L2-regularised
 * logistic losses of the stacking meta-learner, whose problems are small (rows × a few hundred
 * weights). Plain float64 arithmetic in a fixed order, so the same problem gives the same bits.
 */

/** Writes the gradient at `x` into `grad` and returns the objective's value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  maxIterations?: number;
  /** Converged when every gradient component is below this; it also stops once the value stops falling. */
  gradientTolerance?: number;
  memory?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The quasi-Newton direction −H·g from the stored pairs (the two-loop recursion). */
function direction(g: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha: number[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    alpha[i] = dot(s[i]!, q) / dot(y[i]!, s[i]!);
    for (let j = 0; j < q.length; j++) q[j]! -= alpha[i]! * y[i]![j]!;
  }
  const last = s.length - 1;
  const gamma = last >= 0 ? dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < s.length; i++) {
    const beta = dot(y[i]!, q) / dot(y[i]!, s[i]!);
    for (let j = 0; j < q.length; j++) q[j]! += s[i]![j]! * (alpha[i]! - beta);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

export function minimize(f: Objective, start: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const { maxIterations = 500, gradientTolerance = 1e-9, memory = 10 } = options;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let value = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const next = new Float64Array(n);
  const nextGrad = new Float64Array(n);
  for (let it = 0; it < maxIterations; it++) {
    if (maxAbs(g) < gradientTolerance) return { x, value, iterations: it, converged: true };
    let d = direction(g, s, y);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      s.length = y.length = 0;
      d = direction(g, s, y);
      slope = dot(g, d);
    }
    let step = 1;
    let nextValue = Infinity;
    for (let halvings = 0; halvings < 60; halvings++, step /= 2) {
      for (let j = 0; j < n; j++) next[j] = x[j]! + step * d[j]!;
      nextValue = f(next, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
    }
    if (!(nextValue <= value)) return { x, value, iterations: it, converged: false };
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      sk[j] = next[j]! - x[j]!;
      yk[j] = nextGrad[j]! - g[j]!;
    }
    if (dot(sk, yk) > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      s.push(sk);
      y.push(yk);
      if (s.length > memory) {
        s.shift();
        y.shift();
      }
    }
    const settled = value - nextValue <= 1e-15 * Math.abs(value);
    x = Float64Array.from(next);
    g = Float64Array.from(nextGrad);
    value = nextValue;
    if (settled) return { x, value, iterations: it + 1, converged: maxAbs(g) < gradientTolerance };
  }
  return { x, value, iterations: maxIterations, converged: maxAbs(g) < gradientTolerance };
}
