/**
 * A table file read a chunk of rows at a time, so that a file of any length is processed in bounded
 * memory (`polyhead predict`). Delimited text streams through csv-parse, set up as readCsv sets it up
 * for quoted files, and every chunk's records go through readCsv's own RecordSink rules (header, blank,
 * junk and comment lines, ragged rows, trimming, the canonical form of numbers in text columns): a
 * value reads the same whichever chunk it falls in and whatever kind its chunk's column takes, so the
 * chunks hold the whole table's values. Parquet, JSON lines and ARFF are read whole and cut.
 */
import { Readable } from 'node:stream';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import { DataError } from '../errors.js';
import { MissingTokens } from './column-builder.js';
import { fastRowDelimiter, textChunks, type CsvOptions } from './csv.js';
import { readError, RecordSink, type RecordRules, type TrimMode } from './csv-records.js';
import { sniffCsv, type CsvDialect } from './csv-sniff.js';
import { detectFormat, readHead } from './format.js';
import { readTable, validate, type ReadOptions } from './read.js';
import type { Column, Table } from './table.js';

export async function* readTableChunks(path: string, options: ReadOptions = {}, rows = 65536): AsyncGenerator<Table> {
  validate(options);
  const source = await detectFormat(path, options.format);
  if (source.format === 'csv') {
    yield* csvChunks(path, options, new MissingTokens(options.missingTokens ?? []), source.gzip, rows);
    return;
  }
  const table = await readTable(path, options);
  for (let start = 0; start < table.rowCount; start += rows) yield sliceTable(table, start, Math.min(table.rowCount, start + rows));
}

/** Rows [start, end) of a table, with their own dictionaries' codes unchanged. */
export function sliceTable(table: Table, start: number, end: number): Table {
  const columns = table.columns.map((c): Column => (c.type === 'number' ? { ...c, values: c.values.subarray(start, end) } : { ...c, codes: c.codes.subarray(start, end) }));
  return { ...table, rowCount: end - start, columns, ...(table.lines ? { lines: table.lines.subarray(start, end) } : {}) };
}

interface CsvSetup {
  dialect: CsvDialect;
  rules: RecordRules;
  trim: TrimMode;
  parser: CsvParseOptions;
}

/** readCsv's dialect and csv-parse options for the file (csv.ts explains the choices). */
async function csvSetup(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean): Promise<CsvSetup> {
  const head = await readHead(path, gzip);
  let sample = head.toString('utf8');
  if (head.length >= 64 * 1024) sample = sample.slice(0, sample.search(/[\r\n][^\r\n]*$/) + 1);
  const comment = options.comment === false ? undefined : (options.comment ?? '#');
  const dialect = sniffCsv(sample, { delimiter: options.delimiter, header: options.header, preferred: /\.tsv(\.gz)?$/i.test(path) ? '\t' : undefined, missing, comment });
  const commentInParser = comment !== undefined && sample.split(/\r?\n/).some((l) => l.trimStart().startsWith(comment));
  const trim = options.trim ?? true;
  const rowDelimiter = fastRowDelimiter(sample, dialect.fieldCount);
  return {
    dialect,
    rules: { dialect, columns: options.columns, comment: commentInParser ? undefined : comment },
    trim: trim && !dialect.padded ? 'string' : 'none',
    parser: {
      delimiter: dialect.delimiter,
      bom: true,
      trim: trim && dialect.padded,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      ...(rowDelimiter !== undefined ? { record_delimiter: rowDelimiter } : {}),
      ...(commentInParser ? { comment, comment_no_infix: true } : {}),
    },
  };
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

async function* csvChunks(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean, rows: number): AsyncGenerator<Table> {
  const setup = await csvSetup(path, options, missing, gzip);
  const chunks = new CsvChunker(path, missing, setup);
  const text = textChunks(path, gzip);
  // Records reach the loop a few at a time; a larger buffer than the default 16 saves turns of it.
  const parser = Readable.from(text).pipe(parse({ ...setup.parser, info: true, readableHighWaterMark: 1024 } as CsvParseOptions));
  try {
    let count = 0;
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      chunks.add(record, info.lines);
      if (++count < rows) continue;
      count = 0;
      const table = chunks.take(false);
      if (table) yield table;
    }
    const last = chunks.take(true);
    if (last) yield last;
  } catch (err) {
    throw readError(path, err, 0);
  } finally {
    parser.destroy();
    await text.return(undefined);
  }
}

/**
 * Hands records to a RecordSink per chunk. The first sink follows the file's rules and finds the
 * header; each later one starts from the column names as a header record, so that it checks field
 * counts against the same header.
 */
class CsvChunker {
  private sink: RecordSink;
  private names: string[] | undefined;
  private firstLine = 0;
  private yielded = false;

  constructor(
    private readonly path: string,
    private readonly missing: MissingTokens,
    private readonly setup: CsvSetup,
  ) {
    this.sink = this.firstSink();
  }

  add(record: string[], line: number): void {
    if (this.firstLine === 0) this.firstLine = line;
    this.sink.add(record, line);
  }

  /** The rows added since the last chunk, if any; at the end of the file, an empty file is an error. */
  take(end: boolean): Table | undefined {
    let table: Table | undefined;
    try {
      this.sink.flush();
      table = this.sink.finish();
    } catch (err) {
      // A chunk of only blank, junk or comment lines: before the header, the next sink looks for it again.
      const empty = err instanceof DataError && (err.code === 'no-rows' || (err.code === 'empty-file' && this.names === undefined));
      if (!empty || (end && !this.yielded)) throw err;
      if (err.code === 'no-rows') this.names ??= (err.details.columns as string[] | undefined) ?? undefined;
    }
    if (table) {
      this.names ??= table.columns.map((c) => c.name);
      this.yielded = true;
    }
    if (!end) this.sink = this.names === undefined ? this.firstSink() : this.nextSink(this.names);
    return table;
  }

  private firstSink(): RecordSink {
    const sink = new RecordSink(this.path, this.missing, this.setup.rules);
    sink.setTrim(this.setup.trim);
    return sink;
  }

  private nextSink(names: string[]): RecordSink {
    const dialect = { ...this.setup.dialect, header: true, skipFirstRecord: false };
    const sink = new RecordSink(this.path, this.missing, { dialect, columns: names, comment: this.setup.rules.comment });
    // The header record only sets the field count (the names are given): a placeholder per field
    // that no skip rule (blank, '|', comment) takes for a non-record.
    sink.add(names.map(() => 'h'), this.firstLine);
    sink.setTrim(this.setup.trim);
    return sink;
  }
}
