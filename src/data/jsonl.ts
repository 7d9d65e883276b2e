/**
 * JSON lines: one object per line. Columns are the keys in order of first appearance; a key absent
 * from a line is a missing value there, `null` too. A key whose every value is a JSON number is a
 * declared number (0/1 stays numeric), one whose every value is true/false a declared boolean; a JSON
 * string is read like a CSV field ('3.5' is a number, '08123' a code), and so is a key of mixed types.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors.js';
import type { ColumnBuilder, MissingTokens } from './column-builder.js';
import { fileError } from './format.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';

export async function readJsonl(path: string, missing: MissingTokens, gzip: boolean): Promise<Table> {
  const table = new TableBuilder(path, missing);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = gzip ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  const types = new Map<string, number>();
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const record = parseLine(line, path, lineNumber);
      for (const key of Object.keys(record)) {
        const value = record[key];
        // Columns in 'auto' mode accept every value, so pushValue cannot refuse one here.
        (table.column(key) ?? table.addColumn(key)).pushValue(value);
        types.set(key, (types.get(key) ?? 0) | jsonType(value, missing));
      }
      table.endRow(lineNumber, true);
    }
  } catch (err) {
    throw err instanceof DataError ? err : fileError(path, err);
  } finally {
    lines.close();
    input.destroy();
  }
  for (const [key, mask] of types) {
    const column = table.column(key) as ColumnBuilder;
    column.declared = mask === NUMBER ? 'number' : mask === BOOLEAN ? 'boolean' : undefined;
  }
  return table.finish({ format: 'jsonl' });
}

const NUMBER = 1;
const BOOLEAN = 2;
const OTHER = 4;

/** The JSON type of a value as a bit; 0 for a missing one (null, a missing-value token). */
function jsonType(value: unknown, missing: MissingTokens): number {
  if (value === null || (typeof value === 'string' && missing.has(value))) return 0;
  if (typeof value === 'number') return NUMBER;
  if (typeof value === 'boolean') return BOOLEAN;
  return OTHER;
}

function parseLine(line: string, path: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new DataError('malformed-json', `not valid JSON: ${(err as Error).message}`, { file: path, line: lineNumber });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new DataError('malformed-json', `expected one JSON object per line, found ${found}`, { file: path, line: lineNumber });
  }
  return value as Record<string, unknown>;
}
