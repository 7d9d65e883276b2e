/**
 * Options of the boosted-trees learner: one typed object with defaults, validated once at the
 * boundary (zod), as the neural trainer's options are.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { OptionError } from '../errors.js';

/** Value bins per numeric feature: one more (the missing bin) must still fit a Uint8Array. */
export const MAX_TREE_BINS = 255;

/** More threads than this split a histogram's features too thin to pay for the handshakes. */
export const MAX_TREE_THREADS = 4;

export const gbdtOptionsSchema = z.object({
  /** 'shared': one tree per round for all tasks' outputs; 'per-task': one tree per task output and round. */
  mode: z.enum(['shared', 'per-task']).default('shared'),
  /**
   * The cap on boosting rounds. 200, not HGB's max_iter 100: early stopping ends most tasks well
   * before, but on Adult income still improves at HGB's cap (its best round is 100-110 alone and
   * 140-170 in shared trees, which split for three tasks at once), so 100 would cut it short.
   */
  rounds: z.number().int().positive().default(200),
  leaves: z.number().int().min(2).default(31),
  minLeaf: z.number().int().positive().default(20),
  /**
   * The least Hessian sum a child may have (XGBoost's min_child_weight, LightGBM's
   * min_sum_hessian_in_leaf; HGB's is 1e-3), and below which one output of a node gets no leaf value.
   * 0.1 by default: a rare class's Hessians are tiny (p(1 − p) with p ≈ 1e-3), so a leaf of 20 rows
   * holding one of its rows takes a Newton step of 5-14 logits, and such leaves sent Adult's
   * marital-status validation loss from .95 to 2.0 in 60 rounds (HGB's the same: .89 to 4.1), so
   * early stopping on the loss cut per-task trees at rounds 8-29. At 0.1 (seeds 0-2, per task)
   * marital-status macro-F1 .3392 → .3487, relationship .4464 → .4504; shared trees unchanged.
   */
  minHessian: z.number().positive().default(0.1),
  l2: z.number().min(0).default(0),
  lr: z.number().positive().max(1).default(0.1),
  maxBins: z.number().int().min(2).max(MAX_TREE_BINS).default(MAX_TREE_BINS),
  /** 0: no limit (the leaf count bounds the tree). */
  maxDepth: z.number().int().min(0).default(0),
  minGain: z.number().min(0).default(0),
  /** Share of rows drawn (without replacement) for each round's trees; 1: all rows. */
  rowSubsample: z.number().gt(0).max(1).default(1),
  /** Share of features each tree may split on; 1: all of them. */
  featureSubsample: z.number().gt(0).max(1).default(1),
  /** Rounds without a better validation score before stopping; 0: never stop early. */
  patience: z.number().int().min(0).default(10),
  /**
   * Shared mode: search splits on a sketch of the gradient matrix, k columns per task (0: all
   * outputs, no sketch). 3 by default: on Adult (seeds 0-2) it beat the unsketched search on every
   * task (marital-status macro-F1 .3473 against .3411, accuracy .6985 against .6928) in less CPU
   * time, and passed HGB per task's figures (.3464, .6951), which k = 1 and 2 only tied.
   */
  sketch: z.number().int().min(0).default(3),
  /**
   * The sketch: 'projection', per task k random combinations of its outputs' gradients with their
   * mean Hessian (SketchBoost's random projection), or 'top', the k outputs with the largest
   * gradient norm taken in turn from each task (on Adult: relationship macro-F1 .4464, below HGB).
   */
  sketchMethod: z.enum(['projection', 'top']).default('projection'),
  /**
   * What early stopping watches per task: the validation log loss (as HGB), or the task's main metric
   * (ties broken by the loss). The loss by default: on Adult (seed 0) it gave equal or better test
   * figures in both modes (relationship macro-F1 .452 against .441 per task), because a noisy metric
   * such as macro-F1 stops a task within the first rounds.
   */
  stopOn: z.enum(['metric', 'loss']).default('loss'),
  seed: z.number().int().min(0).default(42),
  /**
   * Threads that train (1: the main thread alone, no workers); by default defaultTreeThreads(mode).
   * Any count grows the same trees to the bit; tables too small to gain (fewer rows than work.ts's
   * MIN_POOL_ROWS) train on the main thread.
   */
  threads: z.number().int().min(1).max(MAX_TREE_THREADS).optional(),
});

/**
 * Per-task rounds grow whole trees on each thread: the machine's cores (at most MAX_TREE_THREADS).
 * A shared round is one tree, cut into jobs per node that gain on two cores only on large tables:
 * the cores from SHARED_THREADS_ROWS training rows, one thread below (2-core machine, nothing else
 * running, 100 rounds, 1 → 2 threads: Adult's 29k rows 2.50 → 2.81 s; 160k generated rows
 * 11.7 → 11.1 s; 800k 63.1 → 51.2 s).
 */
export function defaultTreeThreads(mode: 'shared' | 'per-task', trainingRows: number): number {
  const cores = Math.min(availableParallelism(), MAX_TREE_THREADS);
  return mode === 'per-task' || trainingRows >= SHARED_THREADS_ROWS ? cores : 1;
}

/** Training rows from which shared trees train on several threads by default. */
export const SHARED_THREADS_ROWS = 100_000;

export type GbdtOptions = z.output<typeof gbdtOptionsSchema>;

export const DEFAULT_GBDT_OPTIONS: GbdtOptions = Object.freeze(gbdtOptionsSchema.parse({}));

/** Fills defaults and refuses a bad value with an OptionError that names the option. */
export function parseGbdtOptions(input: unknown): GbdtOptions {
  const r = gbdtOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  const value = field ? (input as Record<string, unknown>)[String(issue.path[0])] : undefined;
  throw new OptionError('bad-tree-option', `tree option '${field}'${value !== undefined ? ` = ${JSON.stringify(value)}` : ''}: ${issue.message}`, { option: field, value });
}
