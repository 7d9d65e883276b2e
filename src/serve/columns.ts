/**
 * The one shape every protocol decodes into: a request's rows, checked against the model's raw
 * inputs and packed as the model is fed. Numbers go into one float32 array (NaN = missing),
 * categories and text into one string array ('' = missing), each column after column, so a batch
 * crosses to the model's worker as one transferred buffer and one array, and joining requests is a
 * copy per column. Cells are converted as the table readers convert a file, so that a row sent here
 * and the same row in a CSV given to `polyhead predict` reach the model as the same values.
 */
import { MissingTokens, parseNumber } from '../data/column-builder.js';
import { badRequest, RequestError } from './request-error.js';

export interface InputColumn {
  name: string;
  dtype: 'float32' | 'string';
}

export interface ColumnBatch {
  rows: number;
  /** The numeric inputs' values, input after input: the k-th numeric input's rows at [k·rows, (k+1)·rows). */
  numbers: Float32Array;
  /** The string inputs' values, laid out likewise. */
  strings: string[];
}

export interface ColumnRules {
  inputs: InputColumn[];
  /** Per input, its place among the inputs of its dtype (the k above). */
  slots: number[];
  /** Columns that are not inputs but may be sent (the task labels of a training file). */
  tolerated: ReadonlySet<string>;
  unknownColumns: 'ignore' | 'refuse';
  missing: MissingTokens;
  maxRows: number;
}

/** Each input's place among the inputs of its dtype. */
export function inputSlots(inputs: readonly InputColumn[]): number[] {
  let numbers = 0;
  let strings = 0;
  return inputs.map((i) => (i.dtype === 'float32' ? numbers++ : strings++));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Converts one cell; `where` names it in errors ("column 'age', rows[3]") and is only called then. */
export function numberCell(value: unknown, rules: ColumnRules, where: () => string, text: boolean): number {
  if (typeof value === 'number') return value;
  if (value === null) return NaN;
  if (text && typeof value === 'string') {
    if (rules.missing.has(value)) return NaN;
    const x = parseNumber(value);
    if (x === x) return x;
  }
  throw badRequest('bad-value', `${where()}: expected a number or null, got ${describe(value)}`);
}

export function stringCell(value: unknown, rules: ColumnRules, where: () => string): string {
  if (typeof value === 'string') {
    if (rules.missing.has(value)) return '';
    // A number written as text is one category whatever its spelling, as in a CSV column of strings.
    const x = parseNumber(value);
    return x === x ? String(x) : value;
  }
  if (value === null) return '';
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

export function emptyBatch(rows: number, inputs: readonly InputColumn[]): ColumnBatch {
  let numeric = 0;
  for (const i of inputs) if (i.dtype === 'float32') numeric++;
  return { rows, numbers: new Float32Array(rows * numeric), strings: packedStrings(rows * (inputs.length - numeric)) };
}

/**
 * n empty strings in an array V8 keeps packed. `new Array(n)` is holey for good, and the structured
 * clone that takes a batch to the worker writes a holey array element by element with its index
 * (1.5x the time to write, 1.5x to read at 24 rows × 8 columns).
 */
function packedStrings(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push('');
  return out;
}

/**
 * Whole requests from the front of `queue`, removed from it, up to `maxRows` rows in all (always at
 * least one): how the batcher cuts the queue into batches and the worker its pending batches into runs.
 */
export function takeWhole<T extends { batch: ColumnBatch }>(queue: T[], maxRows: number): T[] {
  const taken = [queue.shift()!];
  let rows = taken[0]!.batch.rows;
  while (queue.length > 0 && rows + queue[0]!.batch.rows <= maxRows) {
    rows += queue[0]!.batch.rows;
    taken.push(queue.shift()!);
  }
  return taken;
}

/** Joins batches in order (the micro-batcher's one run). */
export function concatBatches(batches: readonly ColumnBatch[], inputs: readonly InputColumn[]): ColumnBatch {
  if (batches.length === 1) return batches[0]!;
  let rows = 0;
  for (const b of batches) rows += b.rows;
  const out = emptyBatch(rows, inputs);
  const numeric = out.numbers.length / rows;
  const text = out.strings.length / rows;
  let at = 0;
  for (const b of batches) {
    // Plain loops: most requests carry a row or a few, too few for a typed-array view per column to pay.
    for (let k = 0; k < numeric; k++) for (let r = 0; r < b.rows; r++) out.numbers[k * rows + at + r] = b.numbers[k * b.rows + r]!;
    for (let k = 0; k < text; k++) for (let r = 0; r < b.rows; r++) out.strings[k * rows + at + r] = b.strings[k * b.rows + r]!;
    at += b.rows;
  }
  return out;
}
