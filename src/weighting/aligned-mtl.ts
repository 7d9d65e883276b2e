/**
 * Aligned-MTL (Senushkin et al., "Independent Component Alignment for Multi-Task Learning", CVPR
 * 2023): make the task gradients' matrix orthogonal with equal singular values, the smallest one
 * σ_min, keeping its span. With G = V Λ Vᵀ (rank r), B = σ_min·V Λ^{−½} Vᵀ, and the coefficients
 * are the column sums of B (as the official code and LibMTL do).
 */
import { z } from 'zod';
import { symmetricEigen } from './linalg.js';
import { onPresentTasks, type WeightingMethod } from './method.js';

export function alignedCoefficients(gram: Float64Array, k: number): Float64Array {
  const { values, vectors } = symmetricEigen(gram, k);
  const tol = Math.max(0, values[0]!) * k * 2.220446049250313e-16;
  const rank = values.filter((v) => v > tol).length;
  const out = new Float64Array(k);
  if (rank === 0) return out;
  const sigmaMin = Math.sqrt(values[rank - 1]!);
  for (let e = 0; e < rank; e++) {
    const colSum = Array.from({ length: k }, (_, r) => vectors[r * k + e]!).reduce((a, b) => a + b, 0);
    const scale = (sigmaMin / Math.sqrt(values[e]!)) * colSum;
    for (let j = 0; j < k; j++) out[j]! += scale * vectors[j * k + e]!;
  }
  return out;
}

export const alignedMtl: WeightingMethod<Record<string, never>> = {
  name: 'aligned-mtl',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: onPresentTasks(input, (gram, _l, k) => alignedCoefficients(gram, k)), state }),
};
