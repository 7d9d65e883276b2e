/**
 * A table file read a chunk of rows at a time, so that a file of any length is processed in bounded
 * memory (`polyhead predict`). Delimited text goes the way readCsv takes it (the same sniffed dialect,
 * uDSV for quote-free pieces, csv-parse from the first quote on), and every chunk's records go through
 * readCsv's own RecordSink rules (header, blank, junk and comment lines, ragged rows, trimming, the
 * canonical form of numbers in text columns): a value reads the same whichever chunk it falls in and
 * whatever kind its chunk's column takes, so the chunks hold the whole table's values. Parquet, JSON
 * lines and ARFF are read whole and cut.
 *
 * A chunk holds about `rows` rows: quote-free text is cut at the end of a 64 KB piece, so a chunk
 * can hold up to a piece's lines more.
 */
import { pipeline, Readable } from 'node:stream';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import { DataError } from '../errors.js';
import { MissingTokens } from './column-builder.js';
import { csvSetup, linePieces, textChunks, type CsvOptions, type CsvSetup } from './csv.js';
import { FastReader, type FastOptions } from './csv-fast.js';
import { readError, RecordSink, type RecordRules, type TrimMode } from './csv-records.js';
import { detectFormat } from './format.js';
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
function sliceTable(table: Table, start: number, end: number): Table {
  const columns = table.columns.map((c): Column => (c.type === 'number' ? { ...c, values: c.values.subarray(start, end) } : { ...c, codes: c.codes.subarray(start, end) }));
  return { ...table, rowCount: end - start, columns, ...(table.lines ? { lines: table.lines.subarray(start, end) } : {}) };
}

async function* csvChunks(path: string, options: CsvOptions, missing: MissingTokens, gzip: boolean, rows: number): AsyncGenerator<Table> {
  const setup = await csvSetup(path, options, missing, gzip);
  const chunker = new CsvChunker(path, missing, setup, rows);
  const text = textChunks(path, gzip);
  try {
    let rest = { text: '', line: 0 };
    if (setup.fast) {
      let handOver;
      try {
        handOver = yield* fastChunks(chunker, text, setup.fast);
      } catch (err) {
        throw readError(path, err, 0);
      }
      if (handOver === undefined) {
        const last = chunker.take(true);
        if (last) yield last;
        return;
      }
      rest = handOver;
    }
    yield* parsedChunks(chunker, rest, text, setup.parser);
  } finally {
    await text.return(undefined);
  }
}

/**
 * readCsv's uDSV loop: the text's pieces until it ends (undefined) or a quote shows up (the text from
 * there on, for csv-parse); a chunk is cut after a full piece.
 */
async function* fastChunks(chunker: CsvChunker, chunks: AsyncGenerator<string>, options: FastOptions): AsyncGenerator<Table, { text: string; line: number } | undefined> {
  let fast = new FastReader(chunker.sink, options);
  const pieces = linePieces(chunks, options.rowDelimiter);
  for (;;) {
    const next = await pieces.next();
    if (next.done) return next.value === undefined ? undefined : { text: next.value, line: fast.line };
    fast.piece(next.value);
    if (!chunker.full) continue;
    const table = chunker.take(false);
    if (table) yield table;
    const line = fast.line;
    fast = new FastReader(chunker.sink, options);
    fast.line = line;
  }
}

/** csv-parse reads `rest.text` and what follows in `chunks`; its line 1 is the line after `rest.line`. */
async function* parsedChunks(chunker: CsvChunker, rest: { text: string; line: number }, chunks: AsyncGenerator<string>, options: CsvParseOptions): AsyncGenerator<Table> {
  const text = async function* (): AsyncGenerator<string> {
    if (rest.text !== '') yield rest.text;
    yield* chunks;
  };
  // Records reach the loop a few at a time; a larger buffer than the default 16 saves turns of it.
  // The callback form of pipeline hands back the parser, which a failure to read the file destroys.
  const parser = pipeline(Readable.from(text()), parse({ ...options, info: true, readableHighWaterMark: 1024 } as CsvParseOptions), () => {});
  chunker.sink.setTrim(chunker.csvParseTrim);
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      chunker.sink.add(record, rest.line + info.lines);
      if (!chunker.full) continue;
      const table = chunker.take(false);
      if (table) yield table;
    }
    const last = chunker.take(true);
    if (last) yield last;
  } catch (err) {
    throw readError(chunker.path, err, rest.line);
  } finally {
    parser.destroy();
  }
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** A RecordSink that tells its chunker about every record it takes. */
class ChunkSink extends RecordSink {
  constructor(
    path: string,
    missing: MissingTokens,
    rules: RecordRules,
    private readonly onRecord: (line: number) => void,
  ) {
    super(path, missing, rules);
  }

  /** How records are trimmed now, for the next chunk's sink. */
  trimMode: TrimMode = 'none';

  override add(record: string[], line: number): void {
    this.onRecord(line);
    super.add(record, line);
  }

  override setTrim(mode: TrimMode): void {
    this.trimMode = mode;
    super.setTrim(mode);
  }
}

/**
 * A RecordSink per chunk. The first sink follows the file's rules and finds the header; each later
 * one starts from the column names as a header record, so that it checks field counts against the
 * same header.
 */
class CsvChunker {
  sink: ChunkSink;
  private records = 0;
  private names: string[] | undefined;
  private firstLine = 0;
  private yielded = false;

  constructor(
    readonly path: string,
    private readonly missing: MissingTokens,
    private readonly setup: CsvSetup,
    private readonly rows: number,
  ) {
    this.sink = this.firstSink();
  }

  get csvParseTrim(): TrimMode {
    return this.setup.trim;
  }

  /** The current sink took a chunk's worth of records (some may be blank, junk or comment lines). */
  get full(): boolean {
    return this.records >= this.rows;
  }

  /** The rows taken since the last chunk, if any; at the end of the file, an empty file is an error. */
  take(end: boolean): Table | undefined {
    let table: Table | undefined;
    try {
      table = this.sink.finish();
    } catch (err) {
      // A chunk of only blank, junk or comment lines: before the header, the next sink looks for it again.
      const empty = err instanceof DataError && (err.code === 'no-rows' || (err.code === 'empty-file' && this.names === undefined));
      if (!empty || (end && !this.yielded)) throw err;
      if (err.code === 'no-rows') this.names ??= err.details.columns as string[] | undefined;
    }
    if (table) {
      this.names ??= table.columns.map((c) => c.name);
      this.yielded = true;
    }
    if (!end) {
      const trim = this.sink.trimMode;
      this.sink = this.names === undefined ? this.firstSink() : this.nextSink(this.names);
      this.sink.setTrim(trim);
    }
    return table;
  }

  private newSink(rules: RecordRules): ChunkSink {
    this.records = 0;
    return new ChunkSink(this.path, this.missing, rules, (line) => {
      if (this.firstLine === 0) this.firstLine = line;
      this.records++;
    });
  }

  private firstSink(): ChunkSink {
    return this.newSink(this.setup.rules);
  }

  private nextSink(names: string[]): ChunkSink {
    const dialect = { ...this.setup.dialect, header: true, skipFirstRecord: false };
    const sink = this.newSink({ dialect, columns: names, comment: this.setup.rules.comment });
    // The header record only sets the field count (the names are given): a placeholder per field
    // that no skip rule (blank, '|', comment) takes for a non-record.
    sink.add(names.map(() => 'h'), this.firstLine);
    this.records = 0;
    return sink;
  }
}
