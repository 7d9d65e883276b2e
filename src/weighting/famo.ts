/**
 * FAMO, Fast Adaptive Multitask Optimization (Liu et al., NeurIPS 2023). Task logits ξ give
 * z = softmax(ξ); the update is Σ_t c_t ∇l_t with c_t = (z_t/l_t) / Σ_s (z_s/l_s) (the gradient of
 * Σ z_t log l_t, normalised). ξ then moves against J_softmax(ξ)ᵀ δ, δ_t = log l_t(before) −
 * log l_t(after), with Adam (lr 0.025, weight decay 1e-3, the paper's settings). The paper measures
 * "after" with a second forward pass; here it is the next step's losses, so no pass is added.
 */
import { z } from 'zod';
import type { WeightingMethod } from './method.js';

const options = z.object({ lr: z.number().positive().default(0.025), decay: z.number().min(0).default(1e-3) }).strict();

const EPS = 1e-8;
const B1 = 0.9;
const B2 = 0.999;

interface FamoState {
  [key: string]: number | number[];
  logits: number[];
  m: number[];
  v: number[];
  step: number;
  /** The losses of the previous call (empty before the first). */
  previous: number[];
}

function softmax(x: number[]): number[] {
  const top = Math.max(...x);
  const e = x.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

export const famo: WeightingMethod<z.infer<typeof options>, FamoState> = {
  name: 'famo',
  needsGram: false,
  options,
  init: (tasks) => ({ logits: new Array<number>(tasks).fill(0), m: new Array<number>(tasks).fill(0), v: new Array<number>(tasks).fill(0), step: 0, previous: [] }),
  weigh(input, state, o) {
    const T = input.losses.length;
    let { logits, m, v, step } = state;
    if (state.previous.length === T) {
      const z0 = softmax(logits);
      const delta = input.losses.map((l, t) => (input.present[t] && state.previous[t]! > 0 ? Math.log(state.previous[t]! + EPS) - Math.log(l + EPS) : 0));
      const zd = z0.reduce((a, zt, t) => a + zt * delta[t]!, 0);
      const g = z0.map((zt, t) => zt * (delta[t]! - zd) + o.decay * logits[t]!);
      step += 1;
      m = m.map((mt, t) => B1 * mt + (1 - B1) * g[t]!);
      v = v.map((vt, t) => B2 * vt + (1 - B2) * g[t]! ** 2);
      logits = logits.map((x, t) => x - (o.lr * (m[t]! / (1 - B1 ** step))) / (Math.sqrt(v[t]! / (1 - B2 ** step)) + 1e-8));
    }
    const zs = softmax(logits);
    const raw = zs.map((zt, t) => (input.present[t] ? zt / (input.losses[t]! + EPS) : 0));
    const total = raw.reduce((a, b) => a + b, 0);
    return {
      coefficients: Float64Array.from(raw, (r) => (total > 0 ? r / total : 0)),
      state: { logits, m, v, step, previous: Array.from(input.losses) },
    };
  },
};
