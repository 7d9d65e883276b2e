/** Shared by the data tests: where the real files are, and a scratch folder for crafted ones. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import type { Column, NumericColumn, StringColumn, Table } from '../../src/data/table.js';

/** The shared data folder, found from the project root (the tests run with cwd = /work/main). */
export const DATA_DIR = resolve(process.cwd(), '../shared/data');

export const ADULT_NAMES = [
  'age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation',
  'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income',
];

/** A temporary folder removed when the test file ends; `write` puts a file in it and returns its path. */
export function scratch(): { dir: string; write: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

export function column(table: Table, name: string): Column {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name} in ${table.columns.map((x) => x.name).join(',')}`);
  return c;
}

export function numbers(table: Table, name: string): number[] {
  const c = column(table, name);
  if (c.type !== 'number') throw new Error(`column ${name} is ${c.type}, expected number`);
  return Array.from((c as NumericColumn).values);
}

/** A string column's values, undefined for missing. */
export function strings(table: Table, name: string): Array<string | undefined> {
  const c = column(table, name);
  if (c.type !== 'string') throw new Error(`column ${name} is ${c.type}, expected string`);
  const s = c as StringColumn;
  return Array.from(s.codes, (code) => (code < 0 ? undefined : s.dictionary[code]));
}

/** A table built by hand: numbers become numeric columns, strings (or undefined) string columns. */
export function makeTable(columns: Record<string, Array<number | string | undefined>>, source = 'crafted'): Table {
  const cols: Column[] = Object.entries(columns).map(([name, values]) => {
    if (values.every((v) => typeof v === 'number' || v === undefined)) {
      return { type: 'number', name, values: Float64Array.from(values, (v) => (v === undefined ? NaN : (v as number))) };
    }
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const codes = Int32Array.from(values, (v) => {
      if (v === undefined) return -1;
      const text = String(v);
      let code = index.get(text);
      if (code === undefined) index.set(text, (code = dictionary.push(text) - 1));
      return code;
    });
    return { type: 'string', name, codes, dictionary };
  });
  const rowCount = cols[0].type === 'number' ? cols[0].values.length : cols[0].codes.length;
  return { source, rowCount, columns: cols, lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2), meta: { format: 'csv' } };
}
