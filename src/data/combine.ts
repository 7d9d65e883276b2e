/**
 * Data from several tables in one: `stackTables` puts the rows of several files with the same
 * meaning one after the other (columns matched by name; a column a file lacks is missing in its
 * rows, so a file that carries only some tasks' labels leaves the others masked), and `joinTable`
 * adds the columns of a second table by a key column, one row per key. Neither ever drops or
 * multiplies a row without saying so.
 */
import { DataError } from '../errors.js';
import { parseNumber } from './column-builder.js';
import { lineOf, valueText } from './columns.js';
import type { DataWarning } from './minimums.js';
import { readTable, type ReadOptions } from './read.js';
import type { Column, DeclaredType, StringColumn, Table } from './table.js';

const EXAMPLES = 5;

function names(tables: Table[]): string[] {
  const seen = new Set<string>();
  for (const t of tables) for (const c of t.columns) seen.add(c.name);
  return [...seen];
}

/** The rows of every table, in order; the result's `lines` are each row's line in its own file. */
export function stackTables(tables: Table[]): Table {
  if (tables.length === 1) return tables[0]!;
  const rowCount = tables.reduce((n, t) => n + t.rowCount, 0);
  const columns = names(tables).map((name) => stackColumn(name, tables, rowCount));
  const lines = new Int32Array(rowCount);
  let at = 0;
  for (const t of tables) {
    for (let i = 0; i < t.rowCount; i++) lines[at + i] = lineOf(t, i);
    at += t.rowCount;
  }
  const formats = new Set(tables.map((t) => t.meta?.format));
  const labelColumns = [...new Set(tables.flatMap((t) => t.meta?.labelColumns ?? []))];
  return {
    source: tables.map((t) => t.source).join(' + '),
    rowCount,
    columns,
    lines,
    meta: {
      ...(formats.size === 1 && tables[0]!.meta?.format ? { format: tables[0]!.meta.format } : {}),
      ...(labelColumns.length > 0 ? { labelColumns } : {}),
    },
  };
}

function stackColumn(name: string, tables: Table[], rowCount: number): Column {
  const parts = tables.map((t) => t.columns.find((c) => c.name === name));
  const texts = parts.filter((c): c is StringColumn => c?.type === 'string');
  const numeric = parts.some((c) => c?.type === 'number');
  // A file whose column holds numbers only, written as text (a typed ARFF string, say), joins numbers.
  if (numeric && texts.every((c) => c.dictionary.every((s) => parseNumber(s) === parseNumber(s)))) {
    const values = new Float64Array(rowCount).fill(NaN);
    let at = 0;
    tables.forEach((t, k) => {
      const c = parts[k];
      if (c?.type === 'number') values.set(c.values, at);
      else if (c) for (let i = 0; i < t.rowCount; i++) values[at + i] = c.codes[i]! < 0 ? NaN : parseNumber(c.dictionary[c.codes[i]!]!);
      at += t.rowCount;
    });
    return { type: 'number', name, values, ...agreedDeclaration(parts) };
  }
  if (numeric) throw conflict(name, tables, parts);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(rowCount).fill(-1);
  let at = 0;
  tables.forEach((t, k) => {
    const c = parts[k];
    if (c?.type === 'string') {
      const remap = Int32Array.from(c.dictionary, (s) => {
        let code = index.get(s);
        if (code === undefined) index.set(s, (code = dictionary.push(s) - 1));
        return code;
      });
      for (let i = 0; i < t.rowCount; i++) codes[at + i] = c.codes[i]! < 0 ? -1 : remap[c.codes[i]!]!;
    }
    at += t.rowCount;
  });
  return { type: 'string', name, codes, dictionary, ...agreedDeclaration(parts) };
}

/** A declared type survives stacking only when every file that has the column declares the same. */
function agreedDeclaration(parts: (Column | undefined)[]): { declared?: DeclaredType } {
  const types = new Set(parts.filter((c) => c !== undefined).map((c) => c.declared));
  const [only] = types;
  return types.size === 1 && only !== undefined ? { declared: only } : {};
}

function conflict(name: string, tables: Table[], parts: (Column | undefined)[]): DataError {
  const k = parts.findIndex((c) => c?.type === 'number');
  const j = parts.findIndex((c) => c?.type === 'string' && c.dictionary.some((s) => parseNumber(s) !== parseNumber(s)));
  const text = parts[j] as StringColumn;
  const example = text.dictionary.find((s) => parseNumber(s) !== parseNumber(s))!;
  return new DataError(
    'conflicting-columns',
    `column '${name}' holds numbers in ${tables[k]!.source} but texts in ${tables[j]!.source} (e.g. '${example.slice(0, 40)}'); ` +
      `make the files agree, add the text to the missing-value tokens, or declare the column's kind`,
    { column: name },
    { numbers: tables[k]!.source, texts: tables[j]!.source, example },
  );
}

export interface JoinResult {
  table: Table;
  /** Rows of the left table whose key has no row in the right one (their joined columns are missing). */
  unmatched: number;
  /** A few unmatched keys with their lines, for the warning. */
  examples: string[];
}

/** The row of `right` for each key text; a key on several rows is an error naming them. */
function keyIndex(right: Table, key: Column): Map<string, number> {
  const rows = new Map<string, number>();
  for (let i = 0; i < right.rowCount; i++) {
    const k = valueText(key, i);
    if (k === undefined) continue;
    const first = rows.get(k);
    if (first !== undefined) {
      throw new DataError(
        'duplicate-key',
        `the key '${k.slice(0, 40)}' of column '${key.name}' is on line ${lineOf(right, first)} and line ${lineOf(right, i)}; ` +
          `a joined table needs one row per key (joining would repeat rows of the training data). Remove the duplicates or aggregate them first`,
        { file: right.source, column: key.name },
        { key: k },
      );
    }
    rows.set(k, i);
  }
  return rows;
}

function pick(column: Column, rows: Int32Array): Column {
  if (column.type === 'number') return { ...column, values: Float64Array.from(rows, (r) => (r < 0 ? NaN : column.values[r]!)) };
  return { ...column, codes: Int32Array.from(rows, (r) => (r < 0 ? -1 : column.codes[r]!)) };
}

/** `left` with the columns of `right` (but its key) added, matched on the key column's text. */
export function joinTable(left: Table, right: Table, on: string): JoinResult {
  const find = (t: Table) => {
    const c = t.columns.find((x) => x.name === on);
    if (!c) throw new DataError('unknown-key', `no key column '${on}' to join on; columns: ${t.columns.map((x) => x.name).join(', ')}`, { file: t.source });
    return c;
  };
  const leftKey = find(left);
  const rightKey = find(right);
  const clash = right.columns.find((c) => c !== rightKey && left.columns.some((l) => l.name === c.name));
  if (clash) {
    throw new DataError(
      'join-column-clash',
      `column '${clash.name}' is in both ${left.source} and ${right.source}; rename it in one of them (only the key '${on}' may be shared)`,
      { column: clash.name },
    );
  }
  const rows = keyIndex(right, rightKey);
  const match = new Int32Array(left.rowCount);
  const examples: string[] = [];
  let unmatched = 0;
  for (let i = 0; i < left.rowCount; i++) {
    const k = valueText(leftKey, i);
    const r = k === undefined ? undefined : rows.get(k);
    match[i] = r ?? -1;
    if (r === undefined) {
      unmatched++;
      if (examples.length < EXAMPLES) examples.push(`${k === undefined ? 'a missing key' : `'${k.slice(0, 40)}'`} (line ${lineOf(left, i)})`);
    }
  }
  const added = right.columns.filter((c) => c !== rightKey).map((c) => pick(c, match));
  return { table: { ...left, columns: [...left.columns, ...added] }, unmatched, examples };
}

export interface JoinSpec {
  /** The table whose columns are added. */
  file: string;
  /** The key column both tables hold. */
  on: string;
}

/**
 * The table a run trains on: each file read with the same settings, stacked, then joined. Unmatched
 * keys come back as a warning text (their rows keep missing values for the joined columns).
 */
export async function readCombined(files: readonly string[], read: ReadOptions, join?: JoinSpec): Promise<{ table: Table; warnings: DataWarning[] }> {
  const table = stackTables(await Promise.all(files.map((f) => readTable(f, read))));
  if (!join) return { table, warnings: [] };
  const other = await readTable(join.file, read.missingTokens ? { missingTokens: read.missingTokens } : {});
  const joined = joinTable(table, other, join.on);
  const warnings: DataWarning[] = joined.unmatched === 0 ? [] : [{
    code: 'join-unmatched',
    message: `${joined.unmatched} of ${table.rowCount} rows of ${table.source} have no row in ${join.file} for their '${join.on}' ` +
      `(${joined.examples.join(', ')}${joined.unmatched > joined.examples.length ? ', ...' : ''}); their columns from ${join.file} are missing values`,
  }];
  return { table: joined.table, warnings };
}
