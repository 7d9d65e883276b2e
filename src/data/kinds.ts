/**
 * What a column is, from its values: numeric, categorical, boolean, free text, datetime, or not a
 * feature at all (identifier, constant, empty).
 *
 * A type the file declares is kept (see `DeclaredType`): an ARFF numeric attribute or a JSON number is
 * numeric even when it holds only 0 and 1, a Parquet or ARFF string is never read as a number, a
 * nominal attribute is categorical (boolean when its two values are yes/no-like; both encode alike).
 * Whether a column carries anything (empty, constant, one value per row) is checked whatever its type.
 * Delimited text declares nothing: a numeric column holding exactly the values 0 and 1 is boolean.
 *
 * A delimited-text column that is mostly numbers (≥ 95% of its non-missing values) but not all is
 * probably numeric with stray texts ('unknown', '-', a typo). Up to NON_NUMERIC_TOLERANCE (0.1%) of its
 * values are read as missing with a 'non-numeric' warning; more is an error naming the column, the
 * count and the first bad values with their lines, because guessing either way would silently change
 * the data. The user settles it by declaring the column's kind or adding the texts to the missing tokens.
 *
 * Numbers written with a leading zero ('08123', '007') are codes (zip codes, account numbers): no one
 * pads a quantity with zeros, and reading '08123' as 8123 loses the code. Such a column is
 * categorical (an identifier when each row differs), with a 'leading-zeros' warning that shows the
 * values and how to declare the column numeric.
 *
 * A string column whose every value is a file path ending in .png, .jpg or .jpeg (any case, no line
 * break) is an image column: the value is where the image is, relative to the table file. One value
 * that is not such a path makes the column something else, so a text that happens to end in '.png'
 * among others does not turn a text column into images.
 */
import { DataError } from '../errors.js';
import { parseNumber, zeroPadded } from './column-builder.js';
import { lineOf, type ColumnStats } from './columns.js';
import { binaryLabel } from './labels.js';
import type { ColumnKind, SchemaWarning } from './schema.js';
import type { Column, DeclaredType, StringColumn, Table } from './table.js';

export const MOSTLY_NUMERIC = 0.95;
export const NON_NUMERIC_TOLERANCE = 0.001;
/** Fewer rows than this never make a column an identifier. */
const MIN_ID_ROWS = 20;
const IMAGE_PATH = /^[^\r\n]*[^\r\n/\\]\.(?:png|jpe?g)$/i;
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
  if (stats.distinctExact && stats.distinct === 1) return { kind: 'constant', reason: `the same value in all ${present} non-missing rows` };
  if (column.type === 'number') return numericKind(stats, present, column.declared);
  const counts = stats.codeCounts as Int32Array;
  const used = column.dictionary.filter((_, code) => counts[code] > 0);
  if (column.declared === 'boolean') return { kind: 'boolean' };
  if (column.declared === 'nominal') return { kind: twoLabels(used) ? 'boolean' : 'categorical' };
  if (used.every(isImagePath)) return { kind: 'image' };
  if (column.declared === undefined) {
    const numericRows = countRows(column, counts, (text) => parseNumber(text) === parseNumber(text));
    if (numericRows > 0 && numericRows >= MOSTLY_NUMERIC * present) {
      if (used.some(paddedNumber)) return codes(table, column, counts, used.length, present);
      return mostlyNumeric(table, column, counts, present - numericRows, present, tolerance);
    }
  }
  if (twoLabels(used)) return { kind: 'boolean' };
  if (used.every((text) => ISO_DATE.test(text))) return { kind: 'datetime' };
  if (used.length >= 10 && used.length >= 0.2 * present) {
    const spaced = used.filter((text) => /\s/.test(text)).length;
    const meanLength = used.reduce((s, t) => s + t.length, 0) / used.length;
    if (spaced >= 0.5 * used.length || meanLength >= 30) return { kind: 'text' };
  }
  if (used.length === present && present >= MIN_ID_ROWS) return identifier(present);
  return { kind: 'categorical' };
}

/** Only an exact count of two makes 0/1 boolean: a lower bound of 2 is also what fractions give. */
function numericKind(stats: ColumnStats, present: number, declared: DeclaredType | undefined): KindDecision {
  if (!stats.distinctExact) return { kind: 'numeric' };
  if (declared === undefined && stats.distinct === 2 && stats.min === 0 && stats.max === 1) return { kind: 'boolean' };
  const span = (stats.max ?? 0) - (stats.min ?? 0) + 1;
  if (stats.integer && stats.distinct === present && present >= MIN_ID_ROWS && span <= 2 * present) {
    return {
      kind: 'identifier',
      reason: `unique integers ${stats.min}..${stats.max}, one per row (${present} rows): a row number or identifier, not a feature`,
    };
  }
  return { kind: 'numeric' };
}

/** A value naming a PNG or JPEG file: a path with a file name before its .png, .jpg or .jpeg. */
export const isImagePath = (text: string): boolean => IMAGE_PATH.test(text);

function twoLabels(used: string[]): boolean {
  if (used.length !== 2) return false;
  const [a, b] = used.map(binaryLabel);
  return a !== undefined && b !== undefined && a !== b;
}

function identifier(present: number): KindDecision {
  return { kind: 'identifier', reason: `a different value in each of the ${present} non-missing rows: an identifier, not a feature` };
}

const paddedNumber = (text: string): boolean => zeroPadded(text) && parseNumber(text) === parseNumber(text);

/** Numbers with leading zeros: codes, kept as written. */
function codes(table: Table, column: StringColumn, counts: Int32Array, distinct: number, present: number): KindDecision {
  const padded = examples(table, column, counts, paddedNumber, 3);
  const decision = distinct === present && present >= MIN_ID_ROWS ? identifier(present) : { kind: 'categorical' as const };
  return {
    ...decision,
    warning: {
      code: 'leading-zeros',
      column: column.name,
      message:
        `column '${column.name}' holds numbers written with leading zeros (${padded}): read as codes (${decision.kind}), not as numbers; ` +
        `if they are quantities, declare the column numeric (--kinds ${column.name}=numeric)`,
    },
  };
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
  return examples(table, column, counts, (text) => parseNumber(text) !== parseNumber(text), max);
}

/** The first `max` present values for which `test` holds, with their lines; '' when there is none. */
function examples(table: Table, column: StringColumn, counts: Int32Array, test: (text: string) => boolean, max: number): string {
  const hit = column.dictionary.map((text, code) => counts[code] > 0 && test(text));
  const out: string[] = [];
  for (let i = 0; i < column.codes.length && out.length < max; i++) {
    const code = column.codes[i];
    if (code >= 0 && hit[code]) out.push(`'${column.dictionary[code]}' (line ${lineOf(table, i)})`);
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
