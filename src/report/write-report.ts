/**
 * `polyhead report`'s job: read a model folder, predict on a labelled table when there is one
 * (the --data file, else the test file the training run recorded), render, and write one HTML
 * file atomically.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PolyheadModel } from '../bundle/model.js';
import type { Table } from '../data/table.js';
import { DataError, OptionError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { analyse, type AnalyseOptions } from './analyse.js';
import { readFields } from './fields.js';
import type { ReportInput } from './input.js';
import { renderReport } from './render.js';

export interface ReportOptions extends Partial<AnalyseOptions> {
  /** The HTML file to write. */
  out: string;
  /** A labelled table for ROC curves, reliability diagrams, per-label F1 and permutation importance. */
  data?: string;
  /** Reads `data` the way the model was trained (header, delimiter, missing tokens). */
  read: (model: PolyheadModel, data: string) => Promise<Table>;
}

export interface ReportResult {
  out: string;
  /** The table the charts were computed on, if any. */
  data?: string;
  bytes: number;
}

const analyseSchema = z.object({
  importanceRows: z.number().int().min(0).default(2000),
  repeats: z.number().int().min(1).max(50).default(3),
  seed: z.number().int().default(42),
});

function analyseOptions(o: ReportOptions): AnalyseOptions {
  const parsed = analyseSchema.safeParse({ importanceRows: o.importanceRows, repeats: o.repeats, seed: o.seed });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OptionError('bad-option', `report option ${issue.path.join('.')}: ${issue.message} (importance rows: an integer ≥ 0, 0 skips importance; repeats: 1 to 50; seed: an integer)`, { option: issue.path.join('.') });
  }
  return parsed.data;
}

const NEEDS_DATA = 'ROC curves, reliability diagrams, per-label F1 and permutation importance need labelled rows the model was not trained on';

function checkLabels(model: PolyheadModel, table: Table): void {
  const present = new Set(table.columns.map((c) => c.name));
  for (const task of model.meta.tasks) {
    const missing = task.columns.find((c) => !present.has(c));
    if (missing !== undefined) {
      throw new DataError('missing-label-column', `task '${task.name}' needs column '${missing}' for the report's charts; pass a --data file with the label columns (${NEEDS_DATA})`, { file: table.source, column: missing });
    }
  }
}

function dataFile(model: PolyheadModel, given: string | undefined): { file?: string; note?: string } {
  if (given !== undefined) return { file: given };
  const test = model.meta.options.test;
  if (typeof test === 'string' && existsSync(test)) return { file: test };
  const why = typeof test === 'string' ? `the training run's test file ${test} is not found from here` : 'the training run held out its test rows from DATA';
  return { note: `${NEEDS_DATA}: pass --data FILE (${why}).` };
}

export async function writeReport(modelDir: string, options: ReportOptions): Promise<ReportResult> {
  const analysed = analyseOptions(options);
  const model = await PolyheadModel.load(modelDir);
  try {
    const json: unknown = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
    const { file, note } = dataFile(model, options.data);
    let data: ReportInput['data'];
    if (file !== undefined) {
      const table = await options.read(model, file);
      checkLabels(model, table);
      data = await analyse(model, table, analysed);
    }
    const arch = typeof model.meta.options.arch === 'string' ? model.meta.options.arch : 'model';
    const html = await renderReport({
      model: modelDir,
      polyheadVersion: model.meta.polyheadVersion,
      arch,
      tasks: model.meta.tasks,
      schema: model.meta.schema,
      options: model.meta.options,
      fields: readFields(json),
      ...(data ? { data } : {}),
      ...(note ? { dataNote: note } : {}),
    });
    await writeFileAtomic(options.out, html);
    return { out: options.out, ...(file !== undefined ? { data: file } : {}), bytes: Buffer.byteLength(html) };
  } finally {
    await model.release();
  }
}

