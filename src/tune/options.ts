/** Tuning options: one typed object with defaults, validated once at the boundary (zod). */
import { z } from 'zod';
import { OptionError } from '../errors.js';
import { FUSION_METHODS } from '../fusion/index.js';
import type { TrainOptions } from '../train/options.js';
import { SAMPLERS } from './samplers.js';

const positiveInt = z.number().int().positive();

export const tuneOptionsSchema = z.object({
  /** Trials in the study (all workers together). Default 20 when there is no time limit either. */
  trials: positiveInt.optional(),
  /** Seconds after which this worker's study ends: the running trial is cut, no new one starts. */
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
  /** Stop poor trials early by asynchronous successive halving on the epochs (networks) and rounds (trees). */
  prune: z.boolean().default(true),
  eta: z.number().min(2).default(3),
  /** The first rung, in epochs (default: epochs / η³, at least 1). */
  minEpochs: positiveInt.optional(),
  /** The first rung of tree trials, in boosting rounds (default: rounds / η³, at least 1). */
  minRounds: positiveInt.optional(),
  /** Retrain the best configuration and save it as the model folder OUT. */
  retrain: z.boolean().default(true),
  /** Retrain the K best trials and fuse them into the model folder OUT instead (K ≥ 2). */
  fuse: z.number().int().min(2).optional(),
  /** How --fuse combines them (src/fusion/). */
  fuseMethod: z.string().refine((v) => FUSION_METHODS.includes(v), { message: `unknown fusion method; choose one of: ${FUSION_METHODS.join(', ')}` }).default('select'),
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
  if (r.data.fuse !== undefined && !r.data.retrain) {
    throw new OptionError('fuse-without-retrain', `--fuse ${r.data.fuse} retrains the best trials into the model folder and --no-retrain says not to; keep one (a helper worker of a shared study takes --no-retrain, the last one --fuse)`, { option: 'fuse' });
  }
  return { ...r.data, train };
}
