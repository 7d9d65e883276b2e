/**
 * Collects the columns of a table row by row (readers push values into `columns[j]`, then call
 * `endRow`), keeping the source line of each row for error messages.
 */
import { DataError } from '../errors.js';
import { ColumnBuilder, Int32Builder, type BuilderMode, type MissingTokens } from './column-builder.js';
import type { Table, TableMeta } from './table.js';

export class TableBuilder {
  readonly columns: ColumnBuilder[] = [];
  rowCount = 0;
  private readonly byName = new Map<string, ColumnBuilder>();
  private readonly lines = new Int32Builder();

  constructor(
    readonly source: string,
    readonly missing: MissingTokens,
  ) {}

  /** Adds a column; rows already ended get a missing value in it (JSON lines with a late key). */
  addColumn(name: string, mode: BuilderMode = 'auto'): ColumnBuilder {
    if (this.byName.has(name)) {
      throw new DataError('duplicate-column', `column '${name}' is declared twice`, { file: this.source });
    }
    const column = new ColumnBuilder(name, this.missing, mode);
    for (let i = 0; i < this.rowCount; i++) column.pushMissing();
    this.columns.push(column);
    this.byName.set(name, column);
    return column;
  }

  column(name: string): ColumnBuilder | undefined {
    return this.byName.get(name);
  }

  /**
   * Ends a row that came from `line`. With `pad`, columns that got no value in this row get a missing
   * value; without it every column must have received exactly one value (the caller's contract).
   */
  endRow(line: number, pad = false): void {
    this.rowCount++;
    this.lines.push(line);
    if (pad) {
      for (const column of this.columns) if (column.length < this.rowCount) column.pushMissing();
    }
  }

  finish(meta: TableMeta): Table {
    if (this.rowCount === 0) {
      throw new DataError('no-rows', 'the file has no data rows', { file: this.source }, { columns: this.columns.map((c) => c.name) });
    }
    return {
      source: this.source,
      rowCount: this.rowCount,
      columns: this.columns.map((c) => c.finish()),
      lines: this.lines.finish(),
      meta,
    };
  }
}

/** Makes header names usable: empty names become `c<j>`, repeated names get `.1`, `.2`, ... */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, j) => {
    let name = raw.trim() === '' ? `c${j}` : raw.trim();
    if (seen.has(name)) {
      let k = 1;
      while (seen.has(`${name}.${k}`)) k++;
      name = `${name}.${k}`;
    }
    seen.add(name);
    return name;
  });
}
