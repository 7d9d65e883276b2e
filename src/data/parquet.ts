/**
 * Parquet through hyparquet, one column at a time (so at most one decoded column is held besides the
 * table). The file's types decide: numbers stay numbers, strings stay strings even when they look
 * numeric, booleans become 'true'/'false', dates and timestamps ISO strings, nested values JSON text.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type ColumnData, type SchemaTree } from 'hyparquet';
import { DataError } from '../errors.js';
import type { BuilderMode, ColumnBuilder, MissingTokens } from './column-builder.js';
import { fileError } from './format.js';
import { TableBuilder } from './table-builder.js';
import type { DeclaredType, Table } from './table.js';

const NUMERIC = new Set(['INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE']);
const TEMPORAL = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'INTERVAL']);

export async function readParquet(path: string, missing: MissingTokens): Promise<Table> {
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const rowCount = Number(metadata.num_rows);
    const table = new TableBuilder(path, missing);
    for (const node of parquetSchema(metadata).children) {
      const column = table.addColumn(node.element.name, modeOf(node));
      column.declared = declaredOf(node);
      const chunks: ColumnData[] = [];
      await parquetRead({ file, metadata, columns: [node.element.name], onChunk: (chunk) => chunks.push(chunk) });
      fill(column, chunks, rowCount, path);
    }
    for (let i = 1; i <= rowCount; i++) table.endRow(i);
    return table.finish({ format: 'parquet' });
  } catch (err) {
    if (err instanceof DataError) throw err;
    if ((err as { code?: string }).code !== undefined) throw fileError(path, err);
    throw new DataError('malformed-parquet', `cannot decode the Parquet file: ${(err as Error).message}`, { file: path });
  }
}

function modeOf(node: SchemaTree): BuilderMode {
  const { type, logical_type, converted_type } = node.element;
  if (node.children.length > 0) return 'string';
  const logical = logical_type?.type;
  if (logical === 'DECIMAL' || converted_type === 'DECIMAL') return 'number';
  if (type && NUMERIC.has(type) && !TEMPORAL.has(logical ?? '') && !TEMPORAL.has(converted_type ?? '')) return 'number';
  return 'string';
}

/** The type the schema gives the values, after conversion: booleans and temporal values become text. */
function declaredOf(node: SchemaTree): DeclaredType {
  if (modeOf(node) === 'number') return 'number';
  const { type, logical_type, converted_type } = node.element;
  if (node.children.length === 0 && type === 'BOOLEAN') return 'boolean';
  if (TEMPORAL.has(logical_type?.type ?? '') || TEMPORAL.has(converted_type ?? '')) return 'date';
  return 'string';
}

/** Appends the chunks in row order, checking they cover every row exactly once. */
function fill(column: ColumnBuilder, chunks: ColumnData[], rowCount: number, path: string): void {
  chunks.sort((a, b) => a.rowStart - b.rowStart);
  for (const chunk of chunks) {
    if (chunk.rowStart !== column.length) {
      throw new DataError('malformed-parquet', `column '${column.name}' has a gap or overlap at row ${column.length}`, { file: path });
    }
    const data = chunk.columnData;
    const end = Math.min(chunk.rowEnd, rowCount) - chunk.rowStart;
    for (let i = 0; i < end; i++) {
      if (!column.pushValue(data[i])) {
        throw new DataError('malformed-parquet', `column '${column.name}' is numeric but row ${column.length + 1} holds ${String(data[i])}`, {
          file: path,
        });
      }
    }
  }
  if (column.length !== rowCount) {
    throw new DataError('malformed-parquet', `column '${column.name}' has ${column.length} values for ${rowCount} rows`, { file: path });
  }
}
