/**
 * A loaded model folder: checks the folder and model.json, and model.onnx against it, then runs the
 * ONNX model on raw rows (the preprocessing is inside it; image files are decoded and resized here).
 */
import { join } from 'node:path';
import type { Table } from '../data/table.js';
import { ModelError } from '../errors.js';
import { imageValues, parsePlan, rawColumnValues, type FeaturePlan, type RawColumnValues } from '../features/index.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor } from '../runtime/session.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, modelMetadataSchema, type ModelMetadata } from './metadata.js';
import { refuseExternalData } from './external-data.js';
import { checkFolder, checkRecorded, DEFAULT_LIMITS, readFolderFile, type FileLimits } from './folder-check.js';

export interface TaskPrediction {
  task: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  /** Row-major [rows × classes (or labels)]. */
  probabilities: Float32Array;
  /** Single-label: the class name per row. Multi-label: 0/1 per row and label. */
  labels: string[] | BigInt64Array;
}

/**
 * Rows per onnxruntime run. Its memory arena grows to the largest run's intermediates (a
 * piecewise-linear plan has ~64 values per numeric column): 2,048 rows kept predict's peak RSS on the
 * 30-column bench at ~250 MB where 8,192 took ~400 MB, for the same CPU time.
 */
const CHUNK = 2048;
/** Rows per run with image inputs, whose files are decoded a chunk at a time. */
const IMAGE_CHUNK = 256;

export class PolyheadModel {
  private constructor(
    readonly dir: string,
    readonly meta: ModelMetadata,
    readonly plan: FeaturePlan,
    private readonly session: CompiledModel,
  ) {}

  /**
   * Loads a model folder, refusing what loading must not trust: links, oversized files, bytes that
   * differ from the sha256 in model.json, and an ONNX file that points at external data.
   */
  static async load(dir: string, threads = 0, limits: FileLimits = DEFAULT_LIMITS): Promise<PolyheadModel> {
    await checkFolder(dir);
    const jsonPath = join(dir, 'model.json');
    const text = (await readFolderFile(dir, 'model.json', limits.jsonBytes)).toString('utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ModelError('model-corrupt', `${jsonPath} is not valid JSON; the folder is damaged, train the model again`);
    }
    const head = raw as { format?: unknown; formatVersion?: unknown; polyheadVersion?: unknown };
    if (head.format !== MODEL_FORMAT) throw new ModelError('model-format', `${jsonPath} is not a polyhead model description`);
    if (head.formatVersion !== MODEL_FORMAT_VERSION) {
      throw new ModelError(
        'model-version',
        `${dir} was written by polyhead ${String(head.polyheadVersion)} in model format ${String(head.formatVersion)}; this polyhead reads format ${MODEL_FORMAT_VERSION}. Retrain the model with this version`,
      );
    }
    const parsed = modelMetadataSchema.safeParse(raw);
    if (!parsed.success) throw new ModelError('model-corrupt', `${jsonPath} is damaged: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    const meta = parsed.data;
    const bytes = await readFolderFile(dir, meta.onnx.file, limits.onnxBytes);
    checkRecorded(dir, meta.onnx.file, bytes, meta.files);
    refuseExternalData(bytes, join(dir, meta.onnx.file));
    const inputs = meta.onnx.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape ?? ['batch', 1] }));
    return new PolyheadModel(dir, meta, parsePlan(meta.plan), await CompiledModel.create(bytes, inputs, { threads }));
  }

  /** Runs the model on `rows` of a raw table (all rows when omitted); columns are found by name. */
  predict(table: Table, rows?: Int32Array): Promise<TaskPrediction[]> {
    const n = rows ? rows.length : table.rowCount;
    const images = (start: number, end: number) =>
      imageValues(table, this.plan, rows ? rows.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i), this.meta.onnx.inputs);
    return this.predictValues(rawColumnValues(table, this.plan, rows), n, images);
  }

  /**
   * Runs the model on `n` rows already converted to its raw inputs (the server's worker builds them
   * without a Table); `images` decodes a chunk's image columns, for models that have them.
   */
  async predictValues(values: readonly RawColumnValues[], n: number, images?: (start: number, end: number) => ReturnType<typeof imageValues>): Promise<TaskPrediction[]> {
    const out = this.meta.tasks.map((t) => ({
      task: t.name,
      type: t.type,
      probabilities: new Float32Array(n * t.classes.length),
      labels: t.type === 'multilabel' ? new BigInt64Array(n * t.classes.length) : new Array<string>(n),
    }));
    const chunk = this.meta.onnx.inputs.some((i) => i.dtype === 'uint8') ? IMAGE_CHUNK : CHUNK;
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const feeds: Record<string, RuntimeTensor> = {};
      for (const v of values) {
        feeds[v.name] = v.dtype === 'float32' ? makeTensor('float32', v.values.subarray(start, end), [end - start, 1]) : makeTensor('string', v.values.slice(start, end), [end - start, 1]);
      }
      for (const image of images ? await images(start, end) : []) feeds[image.name] = makeTensor('uint8', image.values, [end - start, ...image.shape]);
      const res = await this.session.run(feeds);
      this.meta.onnx.outputs.forEach((o, t) => {
        const k = this.meta.tasks[t]!.classes.length;
        out[t]!.probabilities.set(tensorData(res[o.probabilities]!) as Float32Array, start * k);
        const labels = tensorData(res[o.label]!);
        if (out[t]!.labels instanceof BigInt64Array) (out[t]!.labels as BigInt64Array).set(labels as BigInt64Array, start * k);
        else (labels as string[]).forEach((l, i) => ((out[t]!.labels as string[])[start + i] = l));
      });
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
