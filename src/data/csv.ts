/**
 * Delimited text (CSV, TSV, UCI `.data`) streamed through csv-parse into columns. Each record is
 * handed to `on_record` and dropped there, so csv-parse never queues rows and no row object outlives
 * its line.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CsvError, parse, type InfoRecord } from 'csv-parse';
import { DataError, OptionError } from '../errors.js';
import type { ColumnBuilder, MissingTokens } from './column-builder.js';
import { sniffCsv } from './csv-sniff.js';
import { fileError, readHead } from './format.js';
import { TableBuilder, uniqueNames } from './table-builder.js';
import type { Table } from './table.js';

export interface CsvOptions {
  /** Field delimiter; sniffed among `,` `;` tab `|` when absent. */
  delimiter?: string;
  /** Whether the first record names the columns; sniffed when absent. */
  header?: boolean;
  /** Column names: for a file without header, or to rename the header's. */
  columns?: string[];
  /** Trim spaces around fields (default true: UCI Adult separates with ', '). */
  trim?: boolean;
  /** Lines starting with this are comments (default '#'); false for none. */
  comment?: string | false;
}

export async function readCsv(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean): Promise<Table> {
  const head = await readHead(path, gzip);
  let sample = head.toString('utf8');
  if (head.length >= 64 * 1024) sample = sample.slice(0, sample.search(/[\r\n][^\r\n]*$/) + 1);
  const comment = options.comment === false ? undefined : (options.comment ?? '#');
  const dialect = sniffCsv(sample, {
    delimiter: options.delimiter,
    header: options.header,
    preferred: /\.tsv(\.gz)?$/i.test(path) ? '\t' : undefined,
    missing,
    comment,
  });
  const { delimiter } = dialect;
  // csv-parse's comment and trim handling cost ~15% and ~20% of its time. It does them when the
  // sample shows comment lines or padded fields (it also keeps quotes inside comments and spaces
  // around quotes from confusing the split); elsewhere the rare comment line or padded field that
  // shows up after the sample is handled here.
  const commentInParser = comment !== undefined && sample.split(/\r?\n/).some((l) => l.trimStart().startsWith(comment));
  const commentHere = comment !== undefined && !commentInParser;
  const trim = options.trim ?? true;
  const trimHere = trim && !dialect.padded;
  const table = new TableBuilder(path, missing);
  const skippedLines: number[] = [];
  const skip = (line: number): null => {
    if (skippedLines.length < 100) skippedLines.push(line);
    return null;
  };
  let columns: ColumnBuilder[] | undefined;
  let expected = 0;
  let expectedFrom = '';
  let firstRecord = true;

  const start = (record: string[], line: number): boolean => {
    const isHeader = dialect.header;
    const names = options.columns ?? (isHeader ? record : record.map((_, j) => `c${j}`));
    if (names.length !== record.length) {
      throw new OptionError(
        'columns-count',
        `${names.length} column names were given but ${path} has ${record.length} fields per line ` +
          `(line ${line}); give exactly ${record.length} names`,
        { given: names, fields: record.length, line },
      );
    }
    columns = uniqueNames(names).map((name) => table.addColumn(name));
    expected = record.length;
    expectedFrom = isHeader ? `the header on line ${line}` : `line ${line}`;
    return isHeader;
  };

  const onRecord = (record: string[], info: InfoRecord): null => {
    const line = info.lines;
    const first = record[0].charCodeAt(0) <= 32 ? record[0].trimStart() : record[0];
    // A line of spaces only is blank, not a row.
    if (record.length === 1 && first === '' && expected !== 1) return null;
    if (delimiter !== '|' && first.charCodeAt(0) === 124) return skip(line);
    if (commentHere && first.startsWith(comment as string)) return null;
    if (firstRecord) {
      firstRecord = false;
      if (dialect.skipFirstRecord && record.length !== dialect.fieldCount) return skip(line);
    }
    if (columns === undefined && start(record, line)) return null;
    if (record.length !== expected) {
      throw new DataError(
        'ragged-row',
        `line ${line} has ${record.length} fields, expected ${expected} like ${expectedFrom} ` +
          `(delimiter ${JSON.stringify(delimiter)}); quote fields that contain the delimiter`,
        { file: path },
        { line, fields: record.length, expected },
      );
    }
    const cols = columns as ColumnBuilder[];
    if (trimHere) {
      for (let j = 0; j < expected; j++) {
        const v = record[j];
        cols[j].push(v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v);
      }
    } else {
      for (let j = 0; j < expected; j++) cols[j].push(record[j]);
    }
    table.endRow(line);
    return null;
  };

  const parser = parse({
    delimiter,
    bom: true,
    trim: trim && dialect.padded,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    ...(commentInParser ? { comment, comment_no_infix: true } : {}),
    on_record: onRecord,
  });
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const sink = new Writable({ objectMode: true, write: (_chunk, _enc, done) => done() });
  try {
    if (gzip) await pipeline(source, createGunzip(), parser, sink);
    else await pipeline(source, parser, sink);
  } catch (err) {
    throw csvError(path, err);
  }
  if (columns === undefined) {
    throw new DataError('empty-file', 'the file has no header and no data rows (only blank or comment lines)', { file: path });
  }
  return table.finish({ format: 'csv', ...(skippedLines.length ? { skippedLines } : {}) });
}

function csvError(path: string, err: unknown): Error {
  if (err instanceof DataError || err instanceof OptionError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    return new DataError(
      'malformed-csv',
      `${err.message.replace(/\s*at line \d+\.?$/, '')} (csv-parse ${err.code})`,
      { file: path, ...(line !== undefined ? { line } : {}) },
      { code: err.code },
    );
  }
  return fileError(path, err);
}
