/**
 * The one shape every protocol decodes into: a request's rows column by column, checked against the
 * model's raw inputs. Numbers become float64 (NaN = missing), categories and text strings
 * ('' = missing), converted as the table readers convert a file so that a row sent here and the
 * same row in a CSV given to `polyhead predict` reach the model as the same values.
 */
import { MissingTokens, parseNumber } from '../data/column-builder.js';
import { badRequest, RequestError } from './request-error.js';

export interface InputColumn {
  name: string;
  dtype: 'float32' | 'string';
}

export type ColumnValues = Float64Array | string[];

export interface ColumnBatch {
  rows: number;
  /** One entry per model input, by name. */
  columns: Map<string, ColumnValues>;
}

export interface ColumnRules {
  inputs: InputColumn[];
  /** Columns that are not inputs but may be sent (the task labels of a training file). */
  tolerated: ReadonlySet<string>;
  unknownColumns: 'ignore' | 'refuse';
  missing: MissingTokens;
  maxRows: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Converts one cell; `where` names it in errors ("column 'age', rows[3]"). */
export function numberCell(value: unknown, rules: ColumnRules, where: () => string, text: boolean): number {
  if (value === null) return NaN;
  if (typeof value === 'number') return value;
  if (text && typeof value === 'string') {
    if (rules.missing.has(value)) return NaN;
    const x = parseNumber(value);
    if (x === x) return x;
  }
  throw badRequest('bad-value', `${where()}: expected a number or null, got ${describe(value)}`);
}

export function stringCell(value: unknown, rules: ColumnRules, where: () => string): string {
  if (value === null) return '';
  if (typeof value === 'string') {
    if (rules.missing.has(value)) return '';
    // A number written as text is one category whatever its spelling, as in a CSV column of strings.
    const x = parseNumber(value);
    return x === x ? String(x) : value;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw badRequest('bad-value', `${where()}: expected a string, number, boolean or null, got ${describe(value)}`);
}

/** Refuses a request that lacks an input column, or (when the rules say so) sends an unknown one. */
export function checkColumnNames(present: readonly string[], rules: ColumnRules): void {
  const sent = new Set(present);
  const missing = rules.inputs.filter((i) => !sent.has(i.name)).map((i) => i.name);
  if (missing.length > 0) {
    throw badRequest('missing-columns', `missing feature column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; the model reads ${rules.inputs.map((i) => i.name).join(', ')}`, { missing });
  }
  if (rules.unknownColumns === 'ignore') return;
  const known = new Set(rules.inputs.map((i) => i.name));
  const unknown = present.filter((p) => !known.has(p) && !rules.tolerated.has(p));
  if (unknown.length > 0) {
    throw badRequest('unknown-columns', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; the model reads ${rules.inputs.map((i) => i.name).join(', ')} (the server refuses other columns)`, { unknown });
  }
}

export function checkRowCount(rows: number, rules: ColumnRules): void {
  if (rows === 0) throw badRequest('no-rows', 'the request has no rows');
  if (rows > rules.maxRows) {
    throw new RequestError(413, 'too-many-rows', `the request has ${rows} rows; the server takes at most ${rules.maxRows} per request, split it`);
  }
}

export function emptyColumns(rows: number, rules: ColumnRules): Map<string, ColumnValues> {
  return new Map(rules.inputs.map((i) => [i.name, i.dtype === 'float32' ? new Float64Array(rows) : new Array<string>(rows)]));
}

/** Joins batches in order (the micro-batcher's one run). */
export function concatBatches(batches: readonly ColumnBatch[], inputs: readonly InputColumn[]): ColumnBatch {
  if (batches.length === 1) return batches[0]!;
  const rows = batches.reduce((n, b) => n + b.rows, 0);
  const columns = new Map<string, ColumnValues>();
  for (const input of inputs) {
    if (input.dtype === 'float32') {
      const out = new Float64Array(rows);
      let at = 0;
      for (const b of batches) {
        out.set(b.columns.get(input.name) as Float64Array, at);
        at += b.rows;
      }
      columns.set(input.name, out);
    } else columns.set(input.name, batches.flatMap((b) => b.columns.get(input.name) as string[]));
  }
  return { rows, columns };
}
