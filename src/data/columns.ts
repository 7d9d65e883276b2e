/**
 * Looking at columns: find one by name, a row's value as text, counts (missing, distinct), and a
 * column's values as numbers whatever its storage.
 */
import { DataError } from '../errors.js';
import { parseNumber } from './column-builder.js';
import type { Column, Table } from './table.js';

/** The column named `name`; a DataError listing the available columns when there is none. */
export function getColumn(table: Table, name: string, context?: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (column) return column;
  throw new DataError(
    'unknown-column',
    `no column '${name}'${context ? ` (${context})` : ''}; available columns: ${listNames(table.columns.map((c) => c.name))}`,
    { file: table.source },
    { column: name, available: table.columns.map((c) => c.name) },
  );
}

export function listNames(names: string[], max = 40): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, ... (${names.length} in all)` : shown;
}

/** The value of `row` as text (numbers in canonical form), undefined when missing. */
export function valueText(column: Column, row: number): string | undefined {
  if (column.type === 'number') {
    const x = column.values[row];
    return x === x ? String(x) : undefined;
  }
  const code = column.codes[row];
  return code < 0 ? undefined : column.dictionary[code];
}

/** The 1-based source line of a row, for messages. */
export function lineOf(table: Table, row: number): number {
  return table.lines ? table.lines[row] : row + 1;
}

/**
 * Counts for one column. The distinct count is either exact or only known to be at least 2; the two
 * cases are different fields, so a lower bound cannot be read as an exact count (a column of
 * fractions in [0, 1] is not two-valued because its count was not taken).
 */
export type ColumnStats = ValueStats & DistinctCount;

export type DistinctCount = { distinctExact: true; distinct: number } | { distinctExact: false; distinctAtLeast: 2 };

interface ValueStats {
  rows: number;
  missing: number;
  /** Numeric columns: whether every value is an integer, and the range. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** String columns: rows per dictionary code; codes listed in `extraMissing` count as missing. */
  codeCounts?: Int32Array;
  /** String columns: dictionary codes that count as missing (extra missing tokens). */
  missingCodes?: Set<number>;
}

export interface StatsOptions {
  /** Texts (case-insensitive) to count as missing on top of what the reader marked. */
  extraMissing?: readonly string[];
  /**
   * Count distinct values exactly (default true). Without it, a numeric column that is not made of
   * integers over a narrow range is not sorted, and its count is only 'at least 2'.
   */
  exactDistinct?: boolean;
}

/** Counts for one column. */
export function columnStats(column: Column, options?: StatsOptions & { exactDistinct?: true }): ColumnStats & { distinctExact: true };
export function columnStats(column: Column, options: StatsOptions): ColumnStats;
export function columnStats(column: Column, options: StatsOptions = {}): ColumnStats {
  if (column.type === 'number') return numericStats(column.values, options.exactDistinct ?? true);
  return stringStats(column.codes, column.dictionary, options.extraMissing ?? []);
}

function numericStats(values: Float64Array, exact: boolean): ColumnStats {
  let present = 0;
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) continue;
    present++;
    if (x < min) min = x;
    if (x > max) max = x;
    if (integer && !Number.isInteger(x)) integer = false;
  }
  const base = { rows: values.length, missing: values.length - present, integer, ...(present ? { min, max } : {}) };
  if (present === 0) return { ...base, distinct: 0, distinctExact: true };
  const span = max - min + 1;
  if (integer && span <= 8 * present + 1024) {
    // Integers over a narrow range: a bitmap counts them in one pass.
    const seen = new Uint8Array(span);
    let distinct = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x === x && seen[x - min] === 0) {
        seen[x - min] = 1;
        distinct++;
      }
    }
    return { ...base, distinct, distinctExact: true };
  }
  if (min === max) return { ...base, distinct: 1, distinctExact: true };
  if (!exact) return { ...base, distinctAtLeast: 2, distinctExact: false };
  const sorted = sortedPresent(values);
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return { ...base, distinct, distinctExact: true };
}

function stringStats(codes: Int32Array, dictionary: string[], extraMissing: readonly string[]): ColumnStats {
  const tokens = new Set(extraMissing.map((t) => t.toLowerCase()));
  const missingCodes = new Set<number>();
  dictionary.forEach((text, code) => {
    if (tokens.has(text.toLowerCase())) missingCodes.add(code);
  });
  const codeCounts = new Int32Array(dictionary.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0 || missingCodes.has(code)) missing++;
    else codeCounts[code]++;
  }
  let distinct = 0;
  for (let c = 0; c < codeCounts.length; c++) if (codeCounts[c] > 0) distinct++;
  return { rows: codes.length, missing, distinct, distinctExact: true, codeCounts, missingCodes };
}

/**
 * The column as numbers: a numeric column as it is; a string column with each text parsed, texts
 * that are not numbers becoming NaN (missing). For columns the schema calls numeric.
 */
export function numericValues(column: Column): Float64Array {
  if (column.type === 'number') return column.values;
  const byCode = Float64Array.from(column.dictionary, (text) => parseNumber(text));
  const values = new Float64Array(column.codes.length);
  for (let i = 0; i < values.length; i++) {
    const code = column.codes[i];
    values[i] = code < 0 ? NaN : byCode[code];
  }
  return values;
}

/** The non-missing values of a numeric column, sorted ascending (a new array). */
export function sortedPresent(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === x) out[n++] = x;
  }
  return out.subarray(0, n).sort();
}
