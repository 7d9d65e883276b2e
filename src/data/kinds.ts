/**
 * What a column is, from its values: numeric, categorical, boolean, free text, datetime, or not a
 * feature at all (identifier, constant, empty).
 *
 * A delimited-text column that is mostly numbers (≥ 95% of its non-missing values) but not all is
 * probably numeric with stray texts ('unknown', '-', a typo). Up to NON_NUMERIC_TOLERANCE (0.1%) of its
 * values are read as missing with a 'non-numeric' warning; more is an error naming the column, the
 * count and the first bad values with their lines, because guessing either way would silently change
 * the data. The user settles it by declaring the column's kind or adding the texts to the missing tokens.
 */
import { DataError } from '../errors.js';
import { parseNumber } from './column-builder.js';
import { lineOf, type ColumnStats } from './columns.js';
import { binaryLabel } from './labels.js';
import type { ColumnKind, SchemaWarning } from './schema.js';
import type { Column, StringColumn, Table } from './table.js';

export const MOSTLY_NUMERIC = 0.95;
export const NON_NUMERIC_TOLERANCE = 0.001;
/** Fewer rows than this never make a column an identifier. */
const MIN_ID_ROWS = 20;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export interface KindDecision {
  kind: ColumnKind;
  /** Why a column is excluded, in words. */
  reason?: string;
  warning?: SchemaWarning;
}

export function inferKind(table: Table, column: Column, stats: ColumnStats, tolerance = NON_NUMERIC_TOLERANCE): KindDecision {
  const present = stats.rows - stats.missing;
  if (present === 0) return { kind: 'empty', reason: `all ${stats.rows} values are missing` };
  if (stats.distinct === 1) return { kind: 'constant', reason: `the same value in all ${present} non-missing rows` };
  if (column.type === 'number') return numericKind(stats, present);
  const counts = stats.codeCounts as Int32Array;
  const used = column.dictionary.filter((_, code) => counts[code] > 0);
  // Declared types (ARFF, Parquet) are kept: a nominal {1,2,3} attribute stays categorical.
  const typed = table.meta?.format === 'arff' || table.meta?.format === 'parquet';
  if (!typed) {
    const numericRows = countRows(column, counts, (text) => parseNumber(text) === parseNumber(text));
    if (numericRows > 0 && numericRows >= MOSTLY_NUMERIC * present) {
      return mostlyNumeric(table, column, counts, present - numericRows, present, tolerance);
    }
  }
  if (used.length === 2) {
    const [a, b] = used.map(binaryLabel);
    if (a !== undefined && b !== undefined && a !== b) return { kind: 'boolean' };
  }
  if (used.every((text) => ISO_DATE.test(text))) return { kind: 'datetime' };
  if (used.length >= 10 && used.length >= 0.2 * present) {
    const spaced = used.filter((text) => /\s/.test(text)).length;
    const meanLength = used.reduce((s, t) => s + t.length, 0) / used.length;
    if (spaced >= 0.5 * used.length || meanLength >= 30) return { kind: 'text' };
  }
  if (used.length === present && present >= MIN_ID_ROWS) {
    return { kind: 'identifier', reason: `a different value in each of the ${present} non-missing rows: an identifier, not a feature` };
  }
  return { kind: 'categorical' };
}

function numericKind(stats: ColumnStats, present: number): KindDecision {
  if (stats.distinct === 2 && stats.min === 0 && stats.max === 1) return { kind: 'boolean' };
  const span = (stats.max ?? 0) - (stats.min ?? 0) + 1;
  if (stats.integer && stats.distinct === present && present >= MIN_ID_ROWS && span <= 2 * present) {
    return {
      kind: 'identifier',
      reason: `unique integers ${stats.min}..${stats.max}, one per row (${present} rows): a row number or identifier, not a feature`,
    };
  }
  return { kind: 'numeric' };
}

function countRows(column: StringColumn, counts: Int32Array, test: (text: string) => boolean): number {
  let rows = 0;
  column.dictionary.forEach((text, code) => {
    if (counts[code] > 0 && test(text)) rows += counts[code];
  });
  return rows;
}

/** A string column whose values are ≥ 95% numbers: numeric with a warning, or an error. */
function mostlyNumeric(table: Table, column: StringColumn, counts: Int32Array, bad: number, present: number, tolerance: number): KindDecision {
  const allowed = Math.floor(tolerance * present);
  const examples = nonNumericExamples(table, column, counts, 5);
  const share = (((present - bad) / present) * 100).toFixed(1);
  if (bad <= allowed) {
    return {
      kind: 'numeric',
      warning: {
        code: 'non-numeric',
        column: column.name,
        message: `column '${column.name}' is numeric but ${bad} of ${present} values are not numbers (${examples}); they are read as missing`,
      },
    };
  }
  throw new DataError(
    'non-numeric-values',
    `mostly numbers (${share}% of ${present} values) but ${bad} values are not: ${examples}. ` +
      `Add those texts to the missing-value tokens, or declare the column's kind (numeric reads them as missing, ` +
      `categorical keeps every value as a category); at most ${(tolerance * 100).toFixed(1)}% (${allowed} here) are read as missing without asking`,
    { file: table.source, column: column.name },
    { bad, present, allowed },
  );
}

/** The first non-numeric values of a string column with their lines: "'abc' (line 5), ...". */
export function nonNumericExamples(table: Table, column: StringColumn, counts: Int32Array, max: number): string {
  const isBad = column.dictionary.map((text, code) => counts[code] > 0 && parseNumber(text) !== parseNumber(text));
  const out: string[] = [];
  for (let i = 0; i < column.codes.length && out.length < max; i++) {
    const code = column.codes[i];
    if (code >= 0 && isBad[code]) out.push(`'${column.dictionary[code]}' (line ${lineOf(table, i)})`);
  }
  return out.join(', ');
}

/** A user declared a string column numeric: say how many values will be read as missing. */
export function forcedNumericWarning(table: Table, column: Column, stats: ColumnStats): SchemaWarning | undefined {
  if (column.type === 'number') return undefined;
  const counts = stats.codeCounts as Int32Array;
  const bad = countRows(column, counts, (text) => parseNumber(text) !== parseNumber(text));
  if (bad === 0) return undefined;
  return {
    code: 'non-numeric',
    column: column.name,
    message: `column '${column.name}' is declared numeric; ${bad} of ${stats.rows - stats.missing} values are not numbers (${nonNumericExamples(table, column, counts, 5)}) and are read as missing`,
  };
}
