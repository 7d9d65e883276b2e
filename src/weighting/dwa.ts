/**
 * Dynamic Weight Average (Liu, Johns & Davison, "End-to-End Multi-Task Learning with Attention",
 * CVPR 2019): w_t(k) = T·softmax_t(r(k−1)/τ), r_t(k−1) = L̄_t(k−1)/L̄_t(k−2) from the mean training
 * loss of each of the last two epochs; 1 during the first two epochs. τ = 2 as in the paper.
 */
import { z } from 'zod';
import type { WeightingMethod } from './method.js';

const options = z.object({ temperature: z.number().positive().default(2) }).strict();

interface DwaState {
  [key: string]: number | number[];
  epoch: number;
  sums: number[];
  counts: number[];
  /** Mean losses of the last two finished epochs, the older first (empty until known). */
  previous: number[];
  last: number[];
}

export const dwa: WeightingMethod<z.infer<typeof options>, DwaState> = {
  name: 'dwa',
  needsGram: false,
  options,
  init: (tasks) => ({ epoch: 0, sums: new Array<number>(tasks).fill(0), counts: new Array<number>(tasks).fill(0), previous: [], last: [] }),
  weigh(input, state, o) {
    const T = input.losses.length;
    let s = state;
    if (input.epoch > s.epoch) {
      const means = s.sums.map((v, t) => (s.counts[t]! > 0 ? v / s.counts[t]! : (s.last[t] ?? 0)));
      s = { epoch: input.epoch, sums: new Array<number>(T).fill(0), counts: new Array<number>(T).fill(0), previous: s.last, last: means };
    }
    const sums = s.sums.map((v, t) => v + (input.present[t] ? input.losses[t]! : 0));
    const counts = s.counts.map((v, t) => v + (input.present[t] ? 1 : 0));
    const next = { ...s, sums, counts };
    if (s.previous.length !== T) return { coefficients: Float64Array.from(input.present, (p) => (p ? 1 : 0)), state: next };
    const ratios = s.last.map((l, t) => (s.previous[t]! > 0 ? l / s.previous[t]! : 1) / o.temperature);
    const top = Math.max(...ratios);
    const e = ratios.map((r) => Math.exp(r - top));
    const total = e.reduce((a, b) => a + b, 0);
    return { coefficients: Float64Array.from(e, (v, t) => (input.present[t] ? (T * v) / total : 0)), state: next };
  },
};
