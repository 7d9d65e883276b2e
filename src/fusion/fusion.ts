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
import { FITTED_ON, type TaskFusion } from './spec.js';

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
    /** stack: L2 penalty λ on the meta-learner's weights (on standardised columns), added as λ/2·‖θ‖² to the mean log loss. */
    l2: z.number().positive().default(1e-3),
    /**
     * How a single-label task whose main metric is macro-F1 turns probabilities into a label: the
     * argmax, or the prior-corrected decision fitted on the fusion's rows (decision.ts).
     */
    decision: z.enum(['argmax', 'macro-f1']).default('argmax'),
    /** auto: folds of the fusion rows each candidate is cross-validated on, and the seed that cuts them. */
    folds: z.number().int().min(2).default(5),
    seed: z.number().int().min(0).default(0),
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
  /** Chooses the decision rule itself (auto), so fitFusion adds none. */
  decidesItself?: boolean;
}
