/**
 * Training options: one typed object with defaults, validated once at the boundary (zod). The CLI
 * flags and the library API both come through here, so a bad value is refused before any work.
 */
import { z } from 'zod';
import { ARCHITECTURES, IMAGE_TRUNKS } from '../arch/index.js';
import { OptionError } from '../errors.js';
import { MAX_NUMERIC_BINS, NUMERIC_ENCODINGS } from '../features/index.js';
import { ACTIVATIONS } from '../nn/layers.js';
import { OPTIMIZERS } from './optimizers/index.js';
import { SCHEDULES } from './schedule.js';
import { gbdtOptionsSchema } from '../trees/index.js';
import { FUSION_METHODS } from '../fusion/index.js';
import { parseWeightingOptions, WEIGHTINGS } from '../weighting/index.js';

const oneOf = (values: readonly string[], what: string) =>
  z.string().refine((v) => values.includes(v), { message: `unknown ${what}; choose one of: ${values.join(', ')}` });

const positiveInt = z.number().int().positive();

/** Boosted-trees members: shared trees for all tasks, or one ensemble per task (gbdt's baseline). */
export const TREE_ARCHITECTURES = ['gbdt', 'gbdt-per-task'] as const;
/** A tree flag takes the learner's own rule for its value; absent, the learner's default. */
const treeOption = <K extends keyof typeof gbdtOptionsSchema.shape>(key: K) => gbdtOptionsSchema.shape[key].unwrap().optional();
const fraction = z.number().min(0).lt(1);
/** Named member sets with a fusion (pipeline/presets.ts says what each holds). */
export const PRESETS = ['fast', 'balanced', 'best'] as const;
const anyArch = oneOf([...ARCHITECTURES, ...TREE_ARCHITECTURES], 'architecture');

export const trainOptionsSchema = z.object({
  /** Task columns: 'a,b,c'; a multi-label group is 'name=colA+colB'. Empty: the file's declared labels. */
  tasks: z.string().default(''),
  /** Column names for a file without a header. */
  columns: z.array(z.string()).optional(),
  /** Columns never used as features. */
  ignore: z.array(z.string()).default([]),
  /** Declared column kinds ('zip': 'categorical'), overriding inference. */
  kinds: z.record(z.string(), z.string()).optional(),
  /** Texts read as missing values, besides '', NA, N/A, null, ?, NaN. */
  missing: z.array(z.string()).optional(),
  /** Field delimiter of a text file (default: sniffed). */
  delimiter: z.string().min(1).optional(),
  /** Whether the first line of a text file names the columns (default: sniffed). */
  header: z.boolean().optional(),
  /** DATA's format when its name does not say it (csv, parquet, jsonl, arff). */
  format: z.string().optional(),
  /** A column of DATA saying which rows are train, valid or test (then nothing is held out at random). */
  splitColumn: z.string().min(1).optional(),
  /** A table whose columns are added to DATA's (and the test file's) rows by the key column `on`. */
  join: z.string().min(1).optional(),
  on: z.string().min(1).optional(),
  /** A separate test file (else a stratified share of DATA is held out). */
  test: z.string().optional(),
  /** Feature plan: numeric columns scaled or piecewise-linear; absent: the plan's default. */
  numericEncoding: oneOf(NUMERIC_ENCODINGS, 'numeric encoding').optional(),
  numericBins: z.union([z.literal('auto'), positiveInt.max(MAX_NUMERIC_BINS)]).optional(),
  /** Image columns: the square side images are resized to, or 'auto' (the training images' median size, at most 64). */
  imageSize: z.union([z.literal('auto'), z.number().int().min(4).max(1024)]).optional(),
  /** An unreadable image file: an error naming the row and path, or a missing value. */
  imageMissing: z.enum(['error', 'missing']).optional(),
  /** What turns an image column into features that join the table's in the shared representation. */
  imageTrunk: oneOf(IMAGE_TRUNKS, 'image trunk').default('small-cnn'),
  arch: oneOf([...ARCHITECTURES, ...TREE_ARCHITECTURES], 'architecture').default('shared-bottom'),
  /** Trees (gbdt, gbdt-per-task): boosting rounds, leaves per tree, rows per leaf, L2 on leaf values, shrinkage, bins per feature. */
  rounds: treeOption('rounds'),
  leaves: treeOption('leaves'),
  minLeaf: treeOption('minLeaf'),
  minHessian: treeOption('minHessian'),
  l2: treeOption('l2'),
  treeLr: treeOption('lr'),
  maxBins: treeOption('maxBins'),
  treeThreads: treeOption('threads'),
  hidden: z.array(positiveInt).min(1).optional(),
  towerHidden: z.array(positiveInt).optional(),
  experts: positiveInt.optional(),
  levels: positiveInt.optional(),
  dropout: z.number().min(0).lt(1).optional(),
  /**
   * On by default: on Adult it raised the validation score (mean of the tasks' main metrics, seeds
   * 42/1/2) of shared-bottom from .5645 to .5703, MMoE from .5637 to .5697, PLE from .5612 to .5692,
   * cross-stitch about even, without harm on emotions; it costs MMoE about half again its time.
   */
  layerNorm: z.boolean().default(true),
  activation: oneOf(ACTIVATIONS, 'activation').default('relu'),
  /** Absent: sized to the training rows (see budget.ts), as are patience and batchSize. */
  epochs: positiveInt.optional(),
  patience: z.number().int().min(0).optional(),
  batchSize: positiveInt.optional(),
  lr: z.number().positive().default(2e-3),
  optimizer: oneOf(OPTIMIZERS, 'optimizer').default('adamw'),
  weightDecay: z.number().min(0).default(1e-4),
  schedule: oneOf(SCHEDULES, 'schedule').default('cosine'),
  warmup: fraction.default(0.05),
  clipNorm: z.number().positive().optional(),
  classWeights: z.enum(['none', 'balanced']).default('none'),
  labelSmoothing: fraction.default(0),
  /** Early-stopping metric applied to the tasks it exists for (e.g. 'accuracy'); default: each task's main metric. */
  metric: z.string().optional(),
  validFraction: fraction.default(0.1),
  testFraction: fraction.default(0.2),
  seed: z.number().int().min(0).default(42),
  /** Intra-op threads of onnxruntime; 0 lets it choose. */
  threads: z.number().int().min(0).default(0),
  /** Loss-weighting method (src/weighting/); equal stays the default unless measurements say otherwise. */
  weighting: oneOf(WEIGHTINGS, 'weighting').default('equal'),
  /** The method's own options, e.g. {"alpha": 0.4} for cagrad; validated by the method's schema. */
  weightingOptions: z.record(z.string(), z.unknown()).default({}),
  /**
   * Where G = J Jᵀ is taken for methods that read it: the shared parameters or the shared
   * representation. The representation by default: on Adult's three-task shared-bottom a Gram step
   * costs 1.37-1.74x equal's there against 2.11-2.43x over the parameters (bench/weighting).
   */
  gramOn: z.enum(['params', 'representation']).default('representation'),
  /** Measure task affinity (mean gradient cosines) even when the method reads no G; G is then computed each step. */
  affinity: z.boolean().default(false),
  /** A fused model: these architectures trained on the same plan, fused by `fusion` (instead of one `arch`). */
  members: z.array(anyArch).min(1).optional(),
  /** How the members are fused (src/fusion/); default select. */
  fusion: oneOf(FUSION_METHODS, 'fusion method').optional(),
  /** Share of the training rows held out from every member to fit the fusion on (stratified). */
  /** Absent: 0.15, or out-of-fold bagging where the preset bags (a share given to such a preset replaces its bagging). */
  fusionShare: z.number().gt(0).max(0.5).optional(),
  /** Fused models: how single-label macro-F1 tasks decide the label (argmax, or the prior-corrected rule fitted on the fusion's rows). */
  decision: z.enum(['argmax', 'macro-f1']).optional(),
  /** Bag each member over this many folds and fit the fusion on their out-of-fold predictions (instead of a held-out share). */
  bag: z.number().int().min(2).max(20).optional(),
  /** A named set of members and fusion method: fast, balanced or best. */
  preset: z.enum(PRESETS).optional(),
  /** Seconds the whole fused run may take: members that would start after it are skipped. */
  timeLimit: z.number().positive().optional(),
  /** Also train the single-task baseline under the same budget and report Δm. */
  baseline: z.boolean().default(true),
  /** Train even below the data minimums (src/data/minimums.ts); each shortfall becomes a warning. */
  force: z.boolean().default(false),
});

export type TrainOptions = z.input<typeof trainOptionsSchema>;
export type ResolvedTrainOptions = z.output<typeof trainOptionsSchema>;

const TREE_FLAGS = { rounds: 'rounds', leaves: 'leaves', minLeaf: 'min-leaf', minHessian: 'min-hessian', l2: 'l2', treeLr: 'tree-lr', maxBins: 'max-bins', treeThreads: 'tree-threads' } as const;

const isTree = (arch: string): boolean => (TREE_ARCHITECTURES as readonly string[]).includes(arch);

/** A tree flag with a neural architecture would be ignored without a word: refuse it instead. */
function checkTreeFlags(o: ResolvedTrainOptions): ResolvedTrainOptions {
  if (isTree(o.arch) || o.preset !== undefined || o.members?.some(isTree)) return o;
  const given = (Object.keys(TREE_FLAGS) as (keyof typeof TREE_FLAGS)[]).find((k) => o[k] !== undefined);
  if (given) {
    throw new OptionError('tree-option-without-trees', `option '${given}' (--${TREE_FLAGS[given]}) applies to boosted trees only; use it with --arch ${TREE_ARCHITECTURES.join(' or ')}, or drop it for --arch ${o.arch}`, { option: given, arch: o.arch });
  }
  return o;
}

/** The options of a fused run that contradict one another, or would be ignored. */
function checkFusionOptions(o: ResolvedTrainOptions, input: Record<string, unknown>): void {
  const refuse = (code: string, message: string): never => {
    throw new OptionError(code, message, {});
  };
  const fused = o.members !== undefined || o.preset !== undefined;
  if (o.members && o.preset) refuse('members-and-preset', `--members and --preset both say which members to train; keep one (preset '${o.preset}')`);
  if (fused && input.arch !== undefined) refuse('members-and-arch', `--arch ${o.arch} trains one model, --${o.members ? 'members' : 'preset'} several; keep one`);
  const twice = o.members?.find((a, i) => o.members!.indexOf(a) !== i);
  if (twice) refuse('duplicate-member', `member '${twice}' is listed twice in --members; list each architecture once`);
  for (const [key, flag] of [['fusion', 'fusion'], ['timeLimit', 'time-limit'], ['fusionShare', 'fusion-share'], ['bag', 'bag'], ['decision', 'decision']] as const) {
    if (!fused && input[key] !== undefined) refuse('fusion-option-without-members', `--${flag} applies to a fused model; add --members (e.g. gbdt,shared-bottom) or --preset (${PRESETS.join(', ')})`);
  }
  if (o.bag !== undefined && input.fusionShare !== undefined) refuse('bag-and-fusion-share', `--bag ${o.bag} fits the fusion on out-of-fold predictions of every training row, --fusion-share on a held-out share; keep one`);
}

export function parseTrainOptions(input: unknown): ResolvedTrainOptions {
  const r = trainOptionsSchema.safeParse(input);
  if (r.success) {
    checkFusionOptions(r.data, input as Record<string, unknown>);
    return checkTreeFlags({ ...r.data, weightingOptions: parseWeightingOptions(r.data.weighting, r.data.weightingOptions) as Record<string, unknown> });
  }
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  const value = field ? (input as Record<string, unknown>)[String(issue.path[0])] : undefined;
  throw new OptionError('bad-option', `option '${field}'${value !== undefined ? ` = ${JSON.stringify(value)}` : ''}: ${issue.message}`, { option: field, value });
}
