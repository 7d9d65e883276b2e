/**
 * Writes one table of typed cells as CSV, JSON lines, Parquet or ARFF, each the way that format
 * stores the cells' type: what a user's file of that format would hold.
 */
import { writeParquet, type FixtureColumn } from './parquet-writer.js';

export type Cell = number | string | boolean | null;
export const FORMATS = ['csv', 'jsonl', 'parquet', 'arff'] as const;
export type Format = (typeof FORMATS)[number];

export interface TypedColumn {
  name: string;
  /** JSON: numbers, strings, booleans; Parquet: double, int32, string, boolean. */
  storage: 'double' | 'int' | 'string' | 'boolean';
  /** The ARFF attribute type; nominal lists the column's distinct values. */
  arff: 'numeric' | 'string' | 'nominal' | 'date';
  values: Cell[];
}

export function writeTable(format: Format, columns: TypedColumn[]): string | Uint8Array {
  const rows = columns[0].values.map((_, i) => columns.map((c) => c.values[i]));
  switch (format) {
    case 'csv':
      return [columns.map((c) => c.name), ...rows.map((r) => r.map(csvField))].map((r) => r.join(',')).join('\n') + '\n';
    case 'jsonl':
      return rows.map((r) => JSON.stringify(Object.fromEntries(r.map((v, j) => [columns[j].name, v])))).join('\n') + '\n';
    case 'parquet':
      return writeParquet(columns.map(parquetColumn));
    case 'arff':
      return [
        '@relation generated',
        ...columns.map((c) => `@attribute ${c.name} ${arffType(c)}`),
        '@data',
        ...rows.map((r) => r.map(arffValue).join(',')),
      ].join('\n') + '\n';
  }
}

function csvField(v: Cell): string {
  if (v === null) return '';
  const text = String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function arffType(c: TypedColumn): string {
  if (c.arff !== 'nominal') return c.arff;
  const distinct = [...new Set(c.values.filter((v) => v !== null).map(String))];
  return `{${distinct.map((v) => arffValue(v)).join(',')}}`;
}

function arffValue(v: Cell): string {
  if (v === null) return '?';
  if (typeof v !== 'string') return String(v);
  return /^[\w.-]+$/.test(v) ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function parquetColumn(c: TypedColumn): FixtureColumn {
  const { name, values } = c;
  switch (c.storage) {
    case 'double':
      return { name, type: 'double', values: values as Array<number | null> };
    case 'int':
      return { name, type: 'int32', values: values as Array<number | null> };
    case 'string':
      return { name, type: 'string', values: values as Array<string | null> };
    case 'boolean':
      return { name, type: 'boolean', values: values as Array<boolean | null> };
  }
}
