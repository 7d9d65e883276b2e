/**
 * One model as the server holds it: the loaded folder (sha256 checked by PolyheadModel.load, in the
 * model's worker thread, which keeps its one onnxruntime session for the server's lifetime), the
 * ONNX signature, the column rules requests are checked against, the micro-batcher in front, and
 * the writer of its answers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelMetadata } from '../bundle/metadata.js';
import { MissingTokens } from '../data/column-builder.js';
import type { TableSettings } from '../data/settings.js';
import { ModelError } from '../errors.js';
import { parsePlan, type FeaturePlan } from '../features/index.js';
import { MicroBatcher, type PredictionRows } from './batcher.js';
import { inputSlots, type ColumnBatch, type ColumnRules } from './columns.js';
import type { ModelFolder } from './catalog.js';
import type { ServeOptions } from './options.js';
import { AnswerWriter } from './predictions.js';
import { onnxSignature, type OnnxSignature } from './signature.js';
import { WorkerModel } from './worker-model.js';

/** Columns the training table had (features, excluded ones, labels): sent along, they are not unknown. */
function trainingColumns(meta: ModelMetadata): Set<string> {
  const names = new Set(meta.tasks.flatMap((t) => [t.name, ...t.columns]));
  const schema = meta.schema as Record<string, unknown> | null;
  for (const key of ['features', 'excluded']) {
    const list = schema?.[key];
    if (Array.isArray(list)) for (const c of list) if (typeof (c as { name?: unknown })?.name === 'string') names.add((c as { name: string }).name);
  }
  return names;
}

export class ServedModel {
  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly meta: ModelMetadata,
    readonly plan: FeaturePlan,
    private readonly worker: WorkerModel,
    readonly signature: OnnxSignature,
    readonly rules: ColumnRules,
    readonly batcher: MicroBatcher,
    readonly answers: AnswerWriter,
  ) {}

  static async load(folder: ModelFolder, options: ServeOptions): Promise<ServedModel> {
    const worker = await WorkerModel.start({ dir: folder.dir, threads: options.threads, maxBatchRows: options.batching ? options.maxBatchRows : 0 });
    const meta = worker.meta;
    const signature = onnxSignature(await readFile(join(folder.dir, 'model.onnx')), join(folder.dir, 'model.onnx'));
    const image = meta.onnx.inputs.find((i) => i.dtype === 'uint8');
    if (image) {
      await worker.release();
      throw new ModelError('serve-image-input', `${folder.dir} takes the image column '${image.name}'; serve does not take images yet: predict with polyhead predict, or run model.onnx directly`, { input: image.name });
    }
    const inputs = meta.onnx.inputs.map((i) => ({ name: i.name, dtype: i.dtype as 'float32' | 'string' }));
    const rules: ColumnRules = {
      inputs,
      slots: inputSlots(inputs),
      tolerated: trainingColumns(meta),
      unknownColumns: options.unknownColumns,
      missing: new MissingTokens((meta.options as TableSettings).missing ?? []),
      maxRows: options.maxRows,
    };
    const batcher = new MicroBatcher((batch) => worker.predict(batch), inputs, {
      enabled: options.batching,
      maxBatchRows: options.maxBatchRows,
      maxWaitMs: options.maxWaitMs,
      maxQueueRows: options.maxQueueRows,
      retryAfterSeconds: options.retryAfterSeconds,
    });
    return new ServedModel(folder.name, folder.dir, meta, parsePlan(meta.plan), worker, signature, rules, batcher, new AnswerWriter(meta, signature));
  }

  get alive(): boolean {
    return this.worker.alive;
  }

  predict(batch: ColumnBatch): Promise<PredictionRows> {
    return this.batcher.submit(batch);
  }

  release(): Promise<void> {
    return this.worker.release();
  }
}
