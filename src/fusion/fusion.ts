/**
 * The contract of fusion. A fusion method turns the members' probabilities on rows that none of
 * them was fitted on (out-of-fold predictions of bagged members, or a held-out share) into a plain
 * JSON description per task, which `applyFusion` runs in JS and `fusionToOnnx` emits as standard
 * ONNX ops. Methods are pure functions of those probabilities and the labels: no engine, no I/O.
 *
 * Probabilities are the members' outputs as they are: [rows × classes] softmax rows for binary and
 * multiclass tasks, [rows × labels] independent sigmoids for multi-label tasks.
 */
import { z } from 'zod';
import type { Task, TaskLabels } from '../data/schema.js';
import { OptionError } from '../errors.js';
import type { MetricName } from '../eval/main-metric.js';

/** Which rows the fusion was fitted on; model.json says it, so a reader knows the scores are honest. */
export const FITTED_ON = ['out-of-fold', 'held-out'] as const;
export type FittedOn = (typeof FITTED_ON)[number];

/** A convex combination of the members' probabilities (mean, select, best). */
export interface WeightedFusion {
  task: string;
  kind: 'weighted';
  /** Classes or labels of the task: the width of every member's and the fused probabilities. */
  outputs: number;
  /** One per member, ≥ 0, summing to 1. */
  weights: number[];
  /** The validation metric the weights were chosen by (select, best). */
  metric?: MetricName;
  /** best: each member's score; select: the fused score after each kept iteration. */
  scores?: number[];
  /** select: the member added at each kept iteration. */
  picks?: number[];
}

/**
 * A logistic meta-learner. `softmax` (binary, multiclass): logits = [log p_1 … log p_M, x]·W + b over
 * the members' log-probabilities (and the passthrough features x), coefficients [(M·C) × C] and
 * passthrough [P × C] row-major. `sigmoid` (multi-label), per label k: logit q_k = Σ_m a[m,k]·logit(p_mk)
 * + x·V[:,k] + b_k, coefficients [M × K] and passthrough [P × K].
 */
export interface StackFusion {
  task: string;
  kind: 'stack';
  link: 'softmax' | 'sigmoid';
  outputs: number;
  coefficients: number[];
  passthrough: number[];
  intercepts: number[];
}

export type TaskFusion = WeightedFusion | StackFusion;

export interface FusionSpec {
  method: string;
  members: number;
  /** Width of the raw (encoded numeric) features the stack also reads; 0 when none. */
  passthrough: number;
  fittedOn: FittedOn;
  /** Rows the fusion was fitted on. */
  rows: number;
  /** In the order of the tasks. */
  tasks: TaskFusion[];
}

/** Encoded numeric features of the same rows, [rows × width] row-major, for stacking with passthrough. */
export interface Passthrough {
  values: Float32Array;
  width: number;
}

/** Everything a method sees for one task. */
export interface TaskInput {
  task: Task;
  labels: TaskLabels;
  /** Per member, [rows × width] row-major. */
  members: Float32Array[];
  rows: number;
  /** Classes (binary, multiclass) or labels (multi-label). */
  width: number;
  passthrough?: Passthrough;
}

const positiveInt = z.number().int().positive();

export const fusionOptionsSchema = z
  .object({
    fittedOn: z.enum(FITTED_ON),
    /** select: greedy iterations (AutoGluon's default, 25). */
    iterations: positiveInt.default(25),
    /** stack: L2 penalty λ on the meta-learner's weights, added as λ/2·‖θ‖² to the mean log loss. */
    l2: z.number().positive().default(1e-3),
    /** Main metric per task name (select, best), overriding the task type's default. */
    metrics: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export type FusionOptions = z.input<typeof fusionOptionsSchema>;
export type ResolvedFusionOptions = z.output<typeof fusionOptionsSchema>;

export function parseFusionOptions(input: unknown): ResolvedFusionOptions {
  const r = fusionOptionsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  throw new OptionError('bad-fusion-option', `fusion option '${field}': ${issue.message}`, { option: field });
}

export interface FusionMethod {
  name: string;
  description: string;
  fitTask(input: TaskInput, options: ResolvedFusionOptions): TaskFusion;
}
