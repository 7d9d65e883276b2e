/**
 * Nash-MTL (Navon et al., "Multi-Task Learning as a Bargaining Game", ICML 2022): the Nash
 * bargaining solution α > 0 with G α = 1/α (elementwise). That is the stationary point of the
 * convex f(α) = ½ αᵀGα − Σ log α_t, found here by damped Newton steps (Hessian G + diag(1/α²)).
 * As in the official code, G is first divided by its Frobenius norm; a tiny ridge keeps a singular
 * G (parallel gradients) solvable.
 */
import { z } from 'zod';
import { matVec, solve } from './linalg.js';
import { onPresentTasks, type WeightingMethod } from './method.js';

export function nashCoefficients(gram: Float64Array, k: number): Float64Array {
  const frob = Math.sqrt(gram.reduce((a, v) => a + v * v, 0));
  if (!(frob > 0)) return new Float64Array(k);
  const g = gram.map((v, i) => v / frob + (i % (k + 1) === 0 ? 1e-8 : 0));
  const f = (a: Float64Array): number => 0.5 * matVec(g, a, k).reduce((s, v, i) => s + v * a[i]!, 0) - a.reduce((s, v) => s + Math.log(v), 0);
  let alpha = new Float64Array(k).fill(1);
  for (let it = 0; it < 100; it++) {
    const grad = matVec(g, alpha, k).map((v, i) => v - 1 / alpha[i]!);
    if (Math.max(...Array.from(grad, Math.abs)) < 1e-12) break;
    const hessian = g.map((v, i) => v + (i % (k + 1) === 0 ? 1 / alpha[Math.floor(i / k)]! ** 2 : 0));
    const step = solve(hessian, grad, k);
    if (!step) break;
    let t = 1;
    const fa = f(alpha);
    let next = alpha.map((a, i) => a - t * step[i]!);
    while ((next.some((a) => !(a > 0)) || f(next) > fa) && t > 1e-12) {
      t /= 2;
      next = alpha.map((a, i) => a - t * step[i]!);
    }
    if (t <= 1e-12) break;
    alpha = next;
  }
  return alpha;
}

export const nashMtl: WeightingMethod<Record<string, never>> = {
  name: 'nash-mtl',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: onPresentTasks(input, (gram, _l, k) => nashCoefficients(gram, k)), state }),
};
