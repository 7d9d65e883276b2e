/**
 * The contract of a loss-weighting method (shared/DESIGN.md, "Loss weighting through the Gram
 * matrix"): a pure function of this step's per-task losses, the Gram matrix G = J Jᵀ of the per-task
 * gradients (only for methods that ask for it) and the method's own state, returning one coefficient
 * per task and the next state. The update is the gradient of Σ c_t l_t. State is plain JSON (numbers
 * and arrays of numbers), so it goes into checkpoints as it is and a resumed run continues exactly.
 */
import type { z } from 'zod';

export type MethodState = Record<string, number | number[]>;

export interface WeighInput {
  /** Per-task losses of the batch (0 for a task with no labelled row). */
  losses: Float64Array;
  /** G = J Jᵀ, T×T row-major; null for methods that do not ask for it. */
  gram: Float64Array | null;
  /** 1 where the task has at least one labelled row in the batch. */
  present: Uint8Array;
  /** 0-based epoch of the step (for methods that work on epoch averages). */
  epoch: number;
}

export interface WeighResult<S extends MethodState = MethodState> {
  coefficients: Float64Array;
  state: S;
}

export interface WeightingMethod<O extends object = object, S extends MethodState = MethodState> {
  readonly name: string;
  /** Whether `weigh` reads the Gram matrix (the step graph then computes it). */
  readonly needsGram: boolean;
  /** The method's options, validated once at the boundary; defaults fill what is left out. */
  readonly options: z.ZodType<O>;
  /** State before the first step; `seed` drives any randomness, so runs repeat. */
  init(tasks: number, options: O, seed: number): S;
  weigh(input: WeighInput, state: S, options: O): WeighResult<S>;
}

/** Indices of the tasks present in the batch. */
export function presentIndices(present: Uint8Array): number[] {
  const idx: number[] = [];
  present.forEach((p, t) => p && idx.push(t));
  return idx;
}

/** The rows and columns of a T×T matrix at `idx`. */
export function subMatrix(m: Float64Array, tasks: number, idx: number[]): Float64Array {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = m[idx[i]! * tasks + idx[j]!]!;
  return out;
}

/** Values for the tasks at `idx`, zero elsewhere. */
export function expand(values: ArrayLike<number>, idx: number[], tasks: number): Float64Array {
  const out = new Float64Array(tasks);
  idx.forEach((t, i) => (out[t] = values[i]!));
  return out;
}

/**
 * Runs a Gram method on the tasks present in the batch only: an absent task has a zero gradient,
 * which would otherwise pull min-norm and projection methods to the zero vector.
 */
export function onPresentTasks(input: WeighInput, solve: (gram: Float64Array, losses: Float64Array, k: number) => ArrayLike<number>): Float64Array {
  const T = input.losses.length;
  const idx = presentIndices(input.present);
  if (idx.length === 0) return new Float64Array(T);
  const gram = subMatrix(input.gram ?? new Float64Array(T * T), T, idx);
  const losses = Float64Array.from(idx, (t) => input.losses[t]!);
  return expand(solve(gram, losses, idx.length), idx, T);
}

/** Coefficient `value` for present tasks, 0 for the others. */
export const maskedConstant = (present: Uint8Array, value = 1): Float64Array => Float64Array.from(present, (p) => (p ? value : 0));
