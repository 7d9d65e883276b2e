/**
 * Reading table columns the way the feature plan needs them, whatever type the reader gave them:
 * numbers as float32 (what the exported model is fed; NaN = missing) and strings as a dictionary
 * view ('' = missing). A numeric column read as strings is parsed with the readers' own number rule
 * (data/column-builder parseNumber: no spaces, hex or infinities); anything else is missing.
 */
import { parseNumber } from '../data/column-builder.js';
import type { Column, Table } from '../data/table.js';
import { DataError, OptionError } from '../errors.js';

/** A column seen as strings: a code per table row (-1 = missing) into a dictionary. */
export interface StringView {
  codes: Int32Array;
  dictionary: string[];
}

function shortList(names: string[], max = 40): string {
  if (names.length === 0) return 'none';
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}

export function findColumn(table: Table, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (column) return column;
  const available = table.columns.map((c) => c.name);
  throw new DataError(
    'missing-column',
    `column '${name}' is missing; the feature plan needs it (columns present: ${shortList(available)})`,
    { file: table.source, column: name },
    { available },
  );
}

/** Every row index of a table, or the given rows after checking they are inside it. */
export function resolveRows(table: Table, rows?: Int32Array): Int32Array {
  if (!rows) {
    const all = new Int32Array(table.rowCount);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r < 0 || r >= table.rowCount) {
      throw new OptionError('row-out-of-range', `row ${r} is outside the table '${table.source}' (${table.rowCount} rows)`, {
        row: r,
        rowCount: table.rowCount,
      });
    }
  }
  return rows;
}

/** The string a number stands for when a numeric column is used as a category: JS shortest form. */
export function formatNumber(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

/** The column's values at `rows` as float32, exactly what the exported model receives. */
export function numericValues(column: Column, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length);
  if (column.type === 'number') {
    const v = column.values;
    for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]!]!;
    return out;
  }
  const parsed = column.dictionary.map(parseNumber);
  const codes = column.codes;
  for (let i = 0; i < rows.length; i++) {
    const c = codes[rows[i]!]!;
    out[i] = c < 0 ? NaN : parsed[c]!;
  }
  return out;
}

/** The column as strings; numbers are formatted once per distinct value. */
export function stringView(column: Column): StringView {
  if (column.type === 'string') return { codes: column.codes, dictionary: column.dictionary };
  const codes = new Int32Array(column.values.length);
  const dictionary: string[] = [];
  const index = new Map<number, number>();
  column.values.forEach((v, row) => {
    if (Number.isNaN(v)) {
      codes[row] = -1;
      return;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dictionary.length;
      index.set(v, code);
      dictionary.push(formatNumber(v));
    }
    codes[row] = code;
  });
  return { codes, dictionary };
}

/** How many of `rows` carry each dictionary code (missing rows are not counted). */
export function countCodes(view: StringView, rows: Int32Array): Float64Array {
  const counts = new Float64Array(view.dictionary.length);
  const codes = view.codes;
  for (let i = 0; i < rows.length; i++) {
    const c = codes[rows[i]!]!;
    if (c >= 0) counts[c] += 1;
  }
  return counts;
}

/** Counts per distinct non-empty string (a dictionary may hold a string twice). */
export function countStrings(view: StringView, rows: Int32Array): Map<string, number> {
  const perCode = countCodes(view, rows);
  const counts = new Map<string, number>();
  view.dictionary.forEach((s, code) => {
    const n = perCode[code]!;
    if (n > 0 && s !== '') counts.set(s, (counts.get(s) ?? 0) + n);
  });
  return counts;
}

/** The values at `rows` as strings, '' for missing: what the exported model receives. */
export function stringValues(view: StringView, rows: Int32Array): string[] {
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const c = view.codes[rows[i]!]!;
    out[i] = c < 0 ? '' : view.dictionary[c]!;
  }
  return out;
}

/** Keys sorted by count (descending), ties by code-unit order, so vocabularies are reproducible. */
export function byFrequency(counts: Map<string, number>): string[] {
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}
