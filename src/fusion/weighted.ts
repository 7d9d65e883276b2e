/** The convex combination Σ_m w_m·p_m that mean, select and best all reduce to. */
import type { TaskInput } from './fusion.js';
import type { WeightedFusion } from './spec.js';

/** Members with weight 0 are skipped, so a member that was never picked need not be computed. */
export function weightedSum(members: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const size = members[0]!.length;
  const acc = new Float64Array(size);
  weights.forEach((w, m) => {
    if (w === 0) return;
    const p = members[m]!;
    for (let i = 0; i < size; i++) acc[i]! += w * p[i]!;
  });
  return Float32Array.from(acc);
}

export function applyWeighted(fusion: WeightedFusion, members: readonly Float32Array[]): Float32Array {
  return weightedSum(members, fusion.weights);
}

export function weightedFusion(input: TaskInput, weights: number[], trace: Pick<WeightedFusion, 'metric' | 'scores' | 'picks'> = {}): WeightedFusion {
  return { task: input.task.name, kind: 'weighted', outputs: input.width, weights, ...trace };
}
