/**
 * What happens to a delimited file's records, whichever parser split them: the header or the given
 * names make the columns, blank, junk and comment lines are skipped, a record of the wrong length is
 * an error naming its line, and the rest is trimmed and appended to the table. Records are collected
 * in batches and appended column by column, so that each column builder runs in a tight loop of its
 * own and a parser's record arrays are dropped a batch at a time.
 */
import { CsvError } from 'csv-parse';
import { DataError, OptionError } from '../errors.js';
import type { ColumnBuilder, MissingTokens } from './column-builder.js';
import type { CsvDialect } from './csv-sniff.js';
import { fileError } from './format.js';
import { TableBuilder, uniqueNames } from './table-builder.js';
import type { Table } from './table.js';

export interface RecordRules {
  dialect: CsvDialect;
  /** Column names given by the user, for a file without header or to rename the header's. */
  columns?: string[];
  /** Lines whose first field starts with this are skipped here (the parser does not skip them). */
  comment?: string;
}

/** How fields are trimmed here: not at all, like csv-parse's `trim` option, or like String#trim. */
export type TrimMode = 'none' | 'parser' | 'string';

const BATCH = 256;

export class RecordSink {
  private readonly table: TableBuilder;
  private readonly delimiter: string;
  private columns: ColumnBuilder[] | undefined;
  private expected = 0;
  private expectedFrom = '';
  private firstRecord = true;
  private readonly skippedLines: number[] = [];
  private batch: string[][] = [];
  private lines: number[] = [];
  private trim: TrimMode = 'none';

  constructor(
    readonly path: string,
    missing: MissingTokens,
    private readonly rules: RecordRules,
  ) {
    this.table = new TableBuilder(path, missing);
    this.delimiter = rules.dialect.delimiter;
  }

  /** Takes one record that ends on `line` (1-based). */
  add(record: string[], line: number): void {
    const first = record[0].charCodeAt(0) <= 32 ? record[0].trimStart() : record[0];
    // A line of spaces only is blank, not a row.
    if (record.length === 1 && first === '' && this.expected !== 1) return;
    if (this.delimiter !== '|' && first.charCodeAt(0) === 124) return this.skip(line);
    const { comment } = this.rules;
    if (comment !== undefined && first.startsWith(comment)) return;
    if (this.firstRecord) {
      this.firstRecord = false;
      const { dialect } = this.rules;
      if (dialect.skipFirstRecord && record.length !== dialect.fieldCount) return this.skip(line);
    }
    if (this.columns === undefined && this.start(record, line)) return;
    if (record.length !== this.expected) {
      throw new DataError(
        'ragged-row',
        `line ${line} has ${record.length} fields, expected ${this.expected} like ${this.expectedFrom} ` +
          `(delimiter ${JSON.stringify(this.delimiter)}); quote fields that contain the delimiter`,
        { file: this.path },
        { line, fields: record.length, expected: this.expected },
      );
    }
    this.batch.push(record);
    this.lines.push(line);
    if (this.batch.length === BATCH) this.flush();
  }

  /**
   * How the records added from now on are trimmed: it depends on the parser (csv-parse trims padded
   * dialects itself, and only outside quotes).
   */
  setTrim(mode: TrimMode): void {
    if (mode === this.trim) return;
    this.flush();
    this.trim = mode;
  }

  /** Appends the collected records to the columns. */
  flush(): void {
    const n = this.batch.length;
    if (n === 0) return;
    const columns = this.columns as ColumnBuilder[];
    const trim = this.trim === 'parser' ? trimLikeParser : this.trim === 'string' ? trimString : undefined;
    for (let j = 0; j < columns.length; j++) columns[j].pushField(this.batch, j, trim);
    for (let i = 0; i < n; i++) this.table.endRow(this.lines[i]);
    this.batch = [];
    this.lines = [];
  }

  finish(): Table {
    this.flush();
    if (this.columns === undefined) {
      throw new DataError('empty-file', 'the file has no header and no data rows (only blank or comment lines)', { file: this.path });
    }
    return this.table.finish({ format: 'csv', ...(this.skippedLines.length ? { skippedLines: this.skippedLines } : {}) });
  }

  private skip(line: number): void {
    if (this.skippedLines.length < 100) this.skippedLines.push(line);
  }

  /** Makes the columns from the first record; true when that record is the header. */
  private start(record: string[], line: number): boolean {
    const isHeader = this.rules.dialect.header;
    const names = this.rules.columns ?? (isHeader ? record : record.map((_, j) => `c${j}`));
    if (names.length !== record.length) {
      throw new OptionError(
        'columns-count',
        `${names.length} column names were given but ${this.path} has ${record.length} fields per line ` +
          `(line ${line}); give exactly ${record.length} names`,
        { given: names, fields: record.length, line },
      );
    }
    this.columns = uniqueNames(names).map((name) => this.table.addColumn(name));
    this.expected = record.length;
    this.expectedFrom = isHeader ? `the header on line ${line}` : `line ${line}`;
    return isHeader;
  }
}

/** Tab, LF, vertical tab, form feed, CR, space: the ASCII characters String#trim removes. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** String#trim, called only for a field with ASCII space at an end (so csv-fast.ts can tell which pieces need it). */
function trimString(v: string): string {
  return isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1)) ? v.trim() : v;
}

/** csv-parse's `trim` removes these from a field's start: tab, LF, form feed, CR, space. */
function isParserSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** Trims an unquoted field as csv-parse's `trim` does: its own spaces at the start, String#trimEnd at the end. */
function trimLikeParser(v: string): string {
  let a = 0;
  while (a < v.length && isParserSpace(v.charCodeAt(a))) a++;
  return (a === 0 ? v : v.slice(a)).trimEnd();
}

/** A failure while reading as a DataError; csv-parse counts lines from `lineOffset`, where it was started. */
export function readError(path: string, err: unknown, lineOffset: number): Error {
  if (err instanceof DataError || err instanceof OptionError) return err;
  if (err instanceof CsvError) {
    const lines = (err as CsvError & { lines?: number }).lines;
    const line = lines === undefined ? undefined : lines + lineOffset;
    return new DataError(
      'malformed-csv',
      `${err.message.replace(/\s*at line \d+\.?$/, '').replace(/at line \d+/g, `at line ${line}`)} (csv-parse ${err.code})`,
      { file: path, ...(line !== undefined ? { line } : {}) },
      { code: err.code },
    );
  }
  return fileError(path, err);
}
