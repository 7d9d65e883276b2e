/**
 * Delimited text (CSV, TSV, UCI `.data`) streamed into columns. Pieces of the file without quotes go
 * through uDSV (see csv-fast.ts); a file whose sample has quotes, lone CR line ends or one column, and
 * the rest of a file from its first quote on, go through csv-parse, which handles every dialect.
 */
import { createReadStream } from 'node:fs';
import { pipeline as pipelineCallback, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import type { MissingTokens } from './column-builder.js';
import { FastReader, type FastOptions } from './csv-fast.js';
import { readError, RecordSink, type RecordRules, type TrimMode } from './csv-records.js';
import { sniffCsv, type CsvDialect } from './csv-sniff.js';
import { readHead } from './format.js';
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

/** How a delimited file is read: its sniffed dialect, the sink's rules and csv-parse's and uDSV's options. */
export interface CsvSetup {
  dialect: CsvDialect;
  rules: RecordRules;
  /** How the sink trims csv-parse's records. */
  trim: TrimMode;
  parser: CsvParseOptions;
  /** uDSV's setup, when the sample shows nothing only csv-parse reads. */
  fast?: FastOptions;
}

/** The dialect and parser options for the file, from a sample of its head. */
export async function csvSetup(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean): Promise<CsvSetup> {
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
  // csv-parse's comment and trim handling cost ~15% and ~20% of its time. It does them when the
  // sample shows comment lines or padded fields (it also keeps quotes inside comments and spaces
  // around quotes from confusing the split); elsewhere the rare comment line or padded field that
  // shows up after the sample is handled by the sink.
  const commentInParser = comment !== undefined && sample.split(/\r?\n/).some((l) => l.trimStart().startsWith(comment));
  const trim = options.trim ?? true;
  const csvParseTrim: TrimMode = trim && !dialect.padded ? 'string' : 'none';
  const rowDelimiter = fastRowDelimiter(sample, dialect.fieldCount);
  const parser: CsvParseOptions = {
    delimiter: dialect.delimiter,
    bom: true,
    trim: trim && dialect.padded,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    ...(rowDelimiter !== undefined ? { record_delimiter: rowDelimiter } : {}),
    ...(commentInParser ? { comment, comment_no_infix: true } : {}),
  };
  const rules: RecordRules = { dialect, columns: options.columns, comment: commentInParser ? undefined : comment };
  if (rowDelimiter === undefined) return { dialect, rules, trim: csvParseTrim, parser };
  const fast: FastOptions = {
    delimiter: dialect.delimiter,
    rowDelimiter,
    fieldCount: dialect.fieldCount,
    ...(commentInParser ? { comment } : {}),
    trim: { fast: trim ? (dialect.padded ? 'parser' : 'string') : 'none', csvParse: csvParseTrim },
    csvParse: parser,
  };
  return { dialect, rules, trim: csvParseTrim, parser, fast };
}

export async function readCsv(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean): Promise<Table> {
  const setup = await csvSetup(path, options, missing, gzip);
  const sink = new RecordSink(path, missing, setup.rules);
  const chunks = textChunks(path, gzip);
  try {
    let rest = { text: '', line: 0 };
    if (setup.fast) {
      const fast = new FastReader(sink, setup.fast);
      const handOver = await readFast(fast, chunks, setup.fast.rowDelimiter).catch((err: unknown) => Promise.reject(readError(path, err, 0)));
      if (handOver === undefined) return sink.finish();
      rest = handOver;
    }
    sink.setTrim(setup.trim);
    await readWithCsvParse(rest, chunks, sink, setup.parser).catch((err: unknown) => Promise.reject(readError(path, err, rest.line)));
    return sink.finish();
  } finally {
    // Closes the file when reading stopped early, on an error.
    await chunks.return(undefined);
  }
}

/** csv-parse reads `rest.text` and what follows in `chunks`; its line 1 is the line after `rest.line`. */
async function readWithCsvParse(
  rest: { text: string; line: number },
  chunks: AsyncGenerator<string>,
  sink: RecordSink,
  options: CsvParseOptions,
): Promise<void> {
  const parser = parse({
    ...options,
    on_record: (record: string[], info) => {
      sink.add(record, rest.line + info.lines);
      return null;
    },
  });
  const text = async function* (): AsyncGenerator<string> {
    if (rest.text !== '') yield rest.text;
    yield* chunks;
  };
  const drain = new Writable({ objectMode: true, write: (_chunk, _enc, done) => done() });
  await pipeline(Readable.from(text()), parser, drain);
}

/**
 * The line end uDSV is to split on, or undefined when the sample shows what only csv-parse reads:
 * quotes (which may hold line ends), lone CR line ends, a single column (whose blank lines uDSV
 * would read as rows), or no line end at all.
 */
function fastRowDelimiter(sample: string, fieldCount: number): string | undefined {
  const nl = sample.indexOf('\n');
  if (fieldCount < 2 || nl === -1 || sample.includes('"') || /\r(?!\n)/.test(sample)) return undefined;
  return sample.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/**
 * Characters per piece. uDSV's records for a piece are all alive until the piece is read, and every
 * young-generation collection copies them: small pieces keep that cheap.
 */
const PIECE = 64 * 1024;

/**
 * Whole lines of the text in pieces of about PIECE characters, until the text ends (returns
 * undefined) or a quote shows up (returns the text not yet handed out, for csv-parse).
 */
export async function* linePieces(chunks: AsyncGenerator<string>, rowDelimiter: string): AsyncGenerator<string, string | undefined> {
  let pending = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    pending += next.value;
    if (pending.includes('"')) return pending;
    let start = 0;
    for (;;) {
      let cut = pending.lastIndexOf('\n', start + PIECE) + 1;
      if (cut <= start) cut = pending.indexOf('\n', start + PIECE) + 1;
      if (cut === 0) break;
      yield pending.slice(start, cut);
      start = cut;
    }
    pending = pending.slice(start);
  }
  // csv-parse ends the last record at the end of the text; uDSV's pieces end with a line end.
  if (pending !== '') yield pending + rowDelimiter;
  return undefined;
}

/** Hands `fast` the text's pieces; when a quote shows up, the rest of the text and the line before it, for csv-parse. */
async function readFast(fast: FastReader, chunks: AsyncGenerator<string>, rowDelimiter: string): Promise<{ text: string; line: number } | undefined> {
  const pieces = linePieces(chunks, rowDelimiter);
  for (;;) {
    const next = await pieces.next();
    if (next.done) return next.value === undefined ? undefined : { text: next.value, line: fast.line };
    fast.piece(next.value);
  }
}

/** The file's text in chunks of about 1 MB, decompressed, decoded across chunk ends, without a BOM. */
export async function* textChunks(path: string, gzip: boolean): AsyncGenerator<string> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  // The callback form hands back the gunzip stream, which any failure along the pipeline destroys.
  const input = gzip ? pipelineCallback(source, createGunzip({ chunkSize: 1 << 20 }), () => {}) : source;
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const bytes of input as AsyncIterable<Buffer>) {
    let text = decoder.write(bytes);
    if (first && text !== '') {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    yield text;
  }
  const tail = decoder.end();
  if (tail !== '') yield tail;
}
