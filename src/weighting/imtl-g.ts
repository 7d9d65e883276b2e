/**
 * IMTL-G, the gradient half of impartial multi-task learning (Liu et al., "Towards Impartial
 * Multi-task Learning", ICLR 2021): coefficients α (Σα = 1) such that the combined gradient has the
 * same projection on every task's unit gradient u_t. With D_i = g_0 − g_i and U_i = u_0 − u_i,
 * α_{1..} = g_0 Uᵀ (D Uᵀ)⁻¹ and α_0 = 1 − Σα_{1..}; every product is read from G. Tasks with a
 * zero gradient are left out (their unit gradient is undefined).
 */
import { z } from 'zod';
import { solve } from './linalg.js';
import { onPresentTasks, type WeightingMethod } from './method.js';

export function imtlCoefficients(gram: Float64Array, k: number): Float64Array {
  const norm = Array.from({ length: k }, (_, t) => Math.sqrt(Math.max(0, gram[t * k + t]!)));
  const live = norm.map((_, t) => t).filter((t) => norm[t]! > 1e-12);
  const out = new Float64Array(k);
  if (live.length === 0) return out;
  const [first, ...rest] = live as [number, ...number[]];
  const m = rest.length;
  // (g_a − g_b)·(u_c − u_d) = G_ac/n_c − G_ad/n_d − G_bc/n_c + G_bd/n_d
  const gu = (a: number, c: number): number => gram[a * k + c]! / norm[c]!;
  const du = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  rest.forEach((i, r) => {
    rhs[r] = gu(first, first) - gu(first, i);
    rest.forEach((j, c) => (du[c * m + r] = gu(first, first) - gu(first, j) - gu(i, first) + gu(i, j)));
  });
  // α D Uᵀ = g_0 Uᵀ (a row vector), i.e. (D Uᵀ)ᵀ αᵀ = (g_0 Uᵀ)ᵀ: `du` holds the transpose.
  const alpha = m > 0 ? solve(du, rhs, m) : new Float64Array(0);
  if (!alpha) {
    live.forEach((t) => (out[t] = 1 / live.length));
    return out;
  }
  out[first] = 1 - alpha.reduce((a, b) => a + b, 0);
  rest.forEach((t, r) => (out[t] = alpha[r]!));
  return out;
}

export const imtlG: WeightingMethod<Record<string, never>> = {
  name: 'imtl-g',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: onPresentTasks(input, (gram, _l, k) => imtlCoefficients(gram, k)), state }),
};
