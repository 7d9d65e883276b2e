/**
 * Reading a data file for a saved model with the training run's table settings: a file without a
 * header reuses the training column names, and the extra missing-value tokens, delimiter and header
 * choice carry over (the format, given with --format, does not). The text-file settings apply only when the file is delimited text, so a model
 * trained on a CSV still reads Parquet or JSON lines.
 */
import { detectFormat } from '../data/format.js';
import { readTableChunks } from '../data/read-chunks.js';
import { readTable, validate, type ReadOptions } from '../data/read.js';
import { readOptionsOf, type TableSettings } from '../data/settings.js';
import type { Table } from '../data/table.js';
import type { PolyheadModel } from '../bundle/model.js';
import { list } from './options.js';

/** What eval, predict and fuse say about the files they read: names for a headerless file, the format. */
export interface ModelDataFlags {
  columns?: string;
  format?: string;
}

async function readOptionsFor(model: PolyheadModel, data: string, { columns, format: forced }: ModelDataFlags): Promise<ReadOptions> {
  const trained = model.meta.options as TableSettings;
  const given = readOptionsOf(forced !== undefined ? { format: forced } : {});
  validate(given);
  const { format } = await detectFormat(data, given.format);
  const text = format === 'csv';
  return readOptionsOf({
    ...(forced !== undefined ? { format: forced } : {}),
    ...(trained.missing !== undefined ? { missing: trained.missing } : {}),
    ...(columns !== undefined ? { columns: list(columns) } : text && trained.columns !== undefined ? { columns: trained.columns } : {}),
    ...(text && trained.delimiter !== undefined ? { delimiter: trained.delimiter } : {}),
    ...(text && trained.header !== undefined ? { header: trained.header } : {}),
  });
}

export async function readForModel(model: PolyheadModel, data: string, flags: ModelDataFlags = {}): Promise<Table> {
  return readTable(data, await readOptionsFor(model, data, flags));
}

/** The file in chunks of about `rows` rows, read with the same settings as readForModel. */
export async function* chunksForModel(model: PolyheadModel, data: string, flags: ModelDataFlags, rows: number): AsyncGenerator<Table> {
  yield* readTableChunks(data, await readOptionsFor(model, data, flags), rows);
}

/** The --format flag of the commands that read files for a saved model. */
export const FORMAT_FLAG = ['--format <name>', 'read the data file as csv, parquet, jsonl or arff whatever its name (default: from the name and content)'] as const;
