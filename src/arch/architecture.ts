/**
 * The contract every multi-task architecture implements: given the encoded inputs and the task
 * heads, build the forward graph and return one logits tensor [batch, outputs] per task. The same
 * build runs for the training, evaluation and export graphs, so it is a pure function of its
 * arguments and declares its parameters in a fixed order under unique names.
 */
import { OptionError } from '../errors.js';
import type { Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import { ACTIVATIONS, type Activation } from '../nn/layers.js';

export interface ArchInput {
  /** float32 [batch, numericWidth] (already imputed, scaled, one-hot encoded). */
  numeric: Tensor | null;
  /** int64 [batch, fields]; index 0 is the unknown / missing bucket. */
  categorical: Tensor | null;
  /** One per categorical column; indices of a field lie in [0, cardinality). */
  fields: { name: string; cardinality: number }[];
  /** Image columns, each float32 [batch, 3, height, width] (normalised); absent: none. */
  images?: ArchImage[];
}

/** An image input: the input layer runs it through the image trunk and joins the result to the table's features. */
export interface ArchImage {
  name: string;
  height: number;
  width: number;
  tensor: Tensor;
}

/** A task's head: `outputs` classes (softmax) or labels (multi-label, sigmoid); the arch returns logits only. */
export interface TaskHead {
  name: string;
  outputs: number;
}

export interface ArchOptions {
  /** Widths of the trunk (shared-bottom), of each column (single-task, cross-stitch) and of each expert (MMoE, PLE). */
  hidden: number[];
  /** Widths of each task's tower between the shared part and its head (may be empty). */
  towerHidden: number[];
  dropout: number;
  layerNorm: boolean;
  activation: Activation;
  /** Width of every categorical embedding; chosen from the largest cardinality when absent. */
  embeddingDim?: number;
  /** MMoE: number of experts. */
  experts: number;
  /** PLE: shared experts per level. */
  sharedExperts: number;
  /** PLE: experts of each task per level. */
  taskExperts: number;
  /** PLE: extraction levels (≥ 1). */
  levels: number;
  /** What turns each image input into features (image-trunk.ts); default small-cnn. */
  imageTrunk?: string;
}

export interface Architecture {
  name: string;
  description: string;
  /** Logits per task, in the order of `tasks`, each [batch, outputs]. */
  build(ctx: BuildContext, input: ArchInput, tasks: TaskHead[], options: ArchOptions): Tensor[];
}

/** Defaults scaled to the data: wider layers and more experts for more rows or wider inputs. */
export function defaultArchOptions(inputWidth: number, rows: number): ArchOptions {
  const base = rows < 10_000 ? 128 : rows < 100_000 ? 256 : 512;
  const first = Math.min(1024, Math.max(base, 2 ** Math.ceil(Math.log2(Math.max(1, inputWidth)))));
  return {
    hidden: [first, base / 2],
    towerHidden: [Math.max(16, base / 4)],
    dropout: 0.1,
    layerNorm: false,
    activation: 'relu',
    experts: rows < 10_000 ? 4 : rows < 100_000 ? 6 : 8,
    sharedExperts: rows < 100_000 ? 2 : 4,
    taskExperts: rows < 100_000 ? 1 : 2,
    levels: rows < 100_000 ? 1 : 2,
  };
}

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;

function bad(code: string, message: string, details: Record<string, unknown>): never {
  throw new OptionError(code, message, details);
}

/** Checks the arguments of a build once, at the registry boundary; messages name the bad value. */
export function checkArchArguments(input: ArchInput, tasks: TaskHead[], o: ArchOptions): void {
  if (tasks.length === 0) bad('no-tasks', 'an architecture needs at least one task', {});
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.name)) bad('duplicate-task', `task '${t.name}' is listed twice; task names must be unique`, { task: t.name });
    seen.add(t.name);
    if (!positiveInt(t.outputs)) bad('bad-outputs', `task '${t.name}' has ${t.outputs} outputs; expected an integer ≥ 1`, { task: t.name, value: t.outputs });
  }
  if (input.numeric && input.numeric.dtype !== 'float32') bad('bad-input', `the numeric block must be float32, got ${input.numeric}`, { value: String(input.numeric) });
  if (input.categorical && input.categorical.dtype !== 'int64') bad('bad-input', `the categorical block must be int64, got ${input.categorical}`, { value: String(input.categorical) });
  const images = input.images ?? [];
  if ((input.numeric?.shape[1] ?? 0) === 0 && input.fields.length === 0 && images.length === 0) bad('no-inputs', 'the architecture input has neither numeric, categorical nor image features', {});
  for (const image of images) {
    const t = image.tensor;
    if (t.dtype !== 'float32' || t.rank !== 4 || t.shape[1] !== 3 || t.shape[2] !== image.height || t.shape[3] !== image.width) {
      bad('bad-image-input', `image '${image.name}' must be float32 [batch, 3, ${image.height}, ${image.width}], got ${t}`, { image: image.name, value: String(t) });
    }
  }
  const width = input.categorical?.shape[1] ?? 0;
  if (width !== input.fields.length) {
    bad('fields-mismatch', `the categorical block has ${width} columns but ${input.fields.length} fields are described`, { columns: width, fields: input.fields.length });
  }
  for (const f of input.fields) {
    if (!positiveInt(f.cardinality)) bad('bad-cardinality', `field '${f.name}' has cardinality ${f.cardinality}; expected an integer ≥ 1`, { field: f.name, value: f.cardinality });
  }
  if (o.hidden.length === 0 || !o.hidden.every(positiveInt)) bad('bad-hidden', `hidden widths [${o.hidden}] must be one or more integers ≥ 1`, { value: o.hidden });
  if (!o.towerHidden.every(positiveInt)) bad('bad-tower-hidden', `tower widths [${o.towerHidden}] must be integers ≥ 1`, { value: o.towerHidden });
  if (!(o.dropout >= 0 && o.dropout < 1)) bad('bad-dropout', `dropout ${o.dropout} must lie in [0, 1)`, { value: o.dropout });
  if (!ACTIVATIONS.includes(o.activation)) {
    bad('bad-activation', `unknown activation '${o.activation}'; choose one of: ${ACTIVATIONS.join(', ')}`, { value: o.activation, allowed: ACTIVATIONS });
  }
  if (o.embeddingDim !== undefined && !positiveInt(o.embeddingDim)) bad('bad-embedding-dim', `embeddingDim ${o.embeddingDim} must be an integer ≥ 1`, { value: o.embeddingDim });
  for (const key of ['experts', 'sharedExperts', 'taskExperts', 'levels'] as const) {
    if (!positiveInt(o[key])) bad(`bad-${key}`, `${key} ${o[key]} must be an integer ≥ 1`, { option: key, value: o[key] });
  }
}
