/** Tuning options: one typed object with defaults, validated once at the boundary (zod). */
import { z } from 'zod';
import { OptionError } from '../errors.js';
import type { TrainOptions } from '../train/options.js';
import { SAMPLERS } from './samplers.js';

const positiveInt = z.number().int().positive();

export const tuneOptionsSchema = z.object({
  /** Trials in the study (all workers together). Default 20 when there is no time limit either. */
  trials: positiveInt.optional(),
  /** Seconds after which this worker starts no new trial. */
  timeLimit: z.number().positive().optional(),
  sampler: z.enum(SAMPLERS).default('tpe'),
  /** Random trials before TPE models the results. */
  startup: positiveInt.default(10),
  /** Trial 0 runs the trainer's defaults (where the space allows them). */
  defaultsFirst: z.boolean().default(true),
  /** A JSON or YAML file overriding the default search space. */
  space: z.string().min(1).optional(),
  /** A postgres:// URL, or a study file (default: OUT.study.jsonl). */
  storage: z.string().min(1).optional(),
  /** The study's name in PostgreSQL (default: the output folder's name). */
  study: z.string().min(1).optional(),
  /** Stop poor trials early by asynchronous successive halving on the epochs. */
  prune: z.boolean().default(true),
  eta: z.number().min(2).default(3),
  /** The first rung, in epochs (default: epochs / η³, at least 1). */
  minEpochs: positiveInt.optional(),
  /** Retrain the best configuration and save it as the model folder OUT. */
  retrain: z.boolean().default(true),
  /** Names this worker in the study (default: host and pid). */
  worker: z.string().min(1).optional(),
});

export type TuneOptions = z.input<typeof tuneOptionsSchema> & {
  /** What every trial shares: the data settings, tasks, epochs, seed, threads... */
  train: TrainOptions;
};
export type ResolvedTuneOptions = z.output<typeof tuneOptionsSchema> & { train: TrainOptions };

export function parseTuneOptions(input: TuneOptions): ResolvedTuneOptions {
  const { train, ...rest } = input;
  const r = tuneOptionsSchema.safeParse(rest);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.');
    throw new OptionError('bad-option', `option '${field}' = ${JSON.stringify((rest as Record<string, unknown>)[field])}: ${issue.message}`, { option: field });
  }
  return { ...r.data, train };
}
