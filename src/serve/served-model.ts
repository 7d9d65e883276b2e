/**
 * One model as the server holds it: the loaded folder (sha256 checked by PolyheadModel.load), one
 * onnxruntime session for the server's lifetime, the ONNX signature, the column rules requests are
 * checked against, and the micro-batcher in front of the session.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PolyheadModel, type TaskPrediction } from '../bundle/model.js';
import { MissingTokens } from '../data/column-builder.js';
import type { TableSettings } from '../data/settings.js';
import type { Column, Table } from '../data/table.js';
import { MicroBatcher } from './batcher.js';
import type { ColumnBatch, ColumnRules } from './columns.js';
import type { ModelFolder } from './catalog.js';
import type { ServeOptions } from './options.js';
import { onnxSignature, type OnnxSignature } from './signature.js';

/** The batch as the columnar table PolyheadModel.predict reads (strings dictionary-encoded, '' missing). */
export function batchTable(batch: ColumnBatch): Table {
  const columns: Column[] = [];
  for (const [name, values] of batch.columns) {
    if (values instanceof Float64Array) {
      columns.push({ type: 'number', name, values });
      continue;
    }
    const lookup = new Map<string, number>();
    const dictionary: string[] = [];
    const codes = new Int32Array(values.length);
    values.forEach((v, i) => {
      if (v === '') return void (codes[i] = -1);
      let c = lookup.get(v);
      if (c === undefined) lookup.set(v, (c = dictionary.push(v) - 1));
      codes[i] = c;
    });
    columns.push({ type: 'string', name, codes, dictionary });
  }
  return { source: 'request', rowCount: batch.rows, columns };
}

/** Columns the training table had (features, excluded ones, labels): sent along, they are not unknown. */
function trainingColumns(model: PolyheadModel): Set<string> {
  const names = new Set(model.meta.tasks.flatMap((t) => [t.name, ...t.columns]));
  const schema = model.meta.schema as Record<string, unknown> | null;
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
    readonly model: PolyheadModel,
    readonly signature: OnnxSignature,
    readonly rules: ColumnRules,
    readonly batcher: MicroBatcher,
  ) {}

  static async load(folder: ModelFolder, options: ServeOptions): Promise<ServedModel> {
    const model = await PolyheadModel.load(folder.dir);
    const signature = onnxSignature(await readFile(join(folder.dir, 'model.onnx')), join(folder.dir, 'model.onnx'));
    const inputs = model.meta.onnx.inputs.map((i) => ({ name: i.name, dtype: i.dtype }));
    const rules: ColumnRules = {
      inputs,
      tolerated: trainingColumns(model),
      unknownColumns: options.unknownColumns,
      missing: new MissingTokens((model.meta.options as TableSettings).missing ?? []),
      maxRows: options.maxRows,
    };
    const batcher = new MicroBatcher((batch) => model.predict(batchTable(batch)), inputs, {
      enabled: options.batching,
      maxBatchRows: options.maxBatchRows,
      maxWaitMs: options.maxWaitMs,
      maxQueueRows: options.maxQueueRows,
      retryAfterSeconds: options.retryAfterSeconds,
    });
    return new ServedModel(folder.name, folder.dir, model, signature, rules, batcher);
  }

  predict(batch: ColumnBatch): Promise<TaskPrediction[]> {
    return this.batcher.submit(batch);
  }

  release(): Promise<void> {
    return this.model.release();
  }
}
