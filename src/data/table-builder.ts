/**
 * Collects the columns of a table row by row (readers push values into `columns[j]`, then call
 * `endRow`), keeping the source line of each row for error messages.
 */
import { DataError } from '../errors.js';
import { ColumnBuilder, Int32Builder, type BuilderMode, type MissingTokens } from './column-builder.js';
import type { Column, Table, TableMeta } from './table.js';

/**
 * The longest field a table may hold. A longer one is nearly always a file that is not the table it
 * seems (a wrong delimiter or quote, a document pasted into a cell), and it would be echoed into
 * messages and models; refusing it names where it is.
 */
export const MAX_FIELD_BYTES = 1024 * 1024;

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
    const columns = this.columns.map((c) => c.finish());
    const lines = this.lines.finish();
    for (const column of columns) this.checkFieldSizes(column, lines);
    return { source: this.source, rowCount: this.rowCount, columns, lines, meta };
  }

  /** Scans the dictionary, not the rows: a row is looked up only for a field too long. */
  private checkFieldSizes(column: Column, lines: Int32Array): void {
    if (column.type !== 'string') return;
    const code = column.dictionary.findIndex((text) => text.length > MAX_FIELD_BYTES / 4 && Buffer.byteLength(text) > MAX_FIELD_BYTES);
    if (code < 0) return;
    const row = column.codes.indexOf(code);
    const mib = (Buffer.byteLength(column.dictionary[code]!) / 2 ** 20).toFixed(1);
    throw new DataError(
      'field-too-large',
      `a field of ${mib} MiB, more than the ${MAX_FIELD_BYTES / 2 ** 20} MiB a field may hold; check the delimiter and quoting around that line, or shorten the value`,
      { file: this.source, line: lines[row]!, column: column.name },
      { bytes: Buffer.byteLength(column.dictionary[code]!), limit: MAX_FIELD_BYTES },
    );
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
