/**
 * Which reader a file needs: its extension says, its first bytes confirm. A file whose content is not
 * what its name says is refused with a message that says what the content looks like.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors.js';

export type TableFormat = 'csv' | 'parquet' | 'jsonl' | 'arff';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'parquet', 'jsonl', 'arff'];

export interface SourceInfo {
  format: TableFormat;
  /** The bytes are gzip-compressed (a `.gz` name, or the gzip magic number in a text file). */
  gzip: boolean;
}

const EXTENSIONS: Record<string, TableFormat> = {
  csv: 'csv', tsv: 'csv', txt: 'csv', data: 'csv', test: 'csv', dat: 'csv',
  parquet: 'parquet', pq: 'parquet',
  jsonl: 'jsonl', ndjson: 'jsonl',
  arff: 'arff',
};

const HEAD_BYTES = 64 * 1024;

/** The first bytes of a file (decompressed when `gzip`); unreadable files become a DataError. */
export async function readHead(path: string, gzip = false, bytes = HEAD_BYTES): Promise<Buffer> {
  if (!gzip) {
    let handle;
    try {
      handle = await open(path, 'r');
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } catch (err) {
      throw fileError(path, err);
    } finally {
      await handle?.close();
    }
  }
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) break;
    }
  } catch (err) {
    throw fileError(path, err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** A readable explanation of why a file cannot be opened or decompressed. */
export function fileError(path: string, err: unknown): DataError {
  if (err instanceof DataError) return err;
  const code = (err as { code?: string }).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory, expected a data file',
    Z_DATA_ERROR: 'the gzip data is corrupt',
    Z_BUF_ERROR: 'the gzip data is truncated',
  };
  const reason = (code && reasons[code]) ?? (err instanceof Error ? err.message : String(err));
  return new DataError('unreadable-file', `cannot read the file: ${reason}`, { file: path }, { cause: code });
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export function isParquet(head: Buffer): boolean {
  return head.length >= 4 && head.toString('latin1', 0, 4) === 'PAR1';
}

/** The byte offset of the first NUL or the first run of control characters, or -1 for text. */
export function binaryOffset(head: Buffer): number {
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return i;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 11 && b !== 27) {
      if (++controls > 8 && controls > head.length / 100) return i;
    }
  }
  return -1;
}

/** What the first bytes look like, for error messages. */
export function describeContent(head: Buffer): string {
  if (head.length === 0) return 'an empty file';
  if (isParquet(head)) return "a Parquet file (it starts with 'PAR1')";
  if (isGzip(head)) return 'gzip-compressed data';
  if (head[0] === 0x50 && head[1] === 0x4b) return "a zip archive (it starts with 'PK')";
  const offset = binaryOffset(head);
  if (offset >= 0) return `binary data (a control byte 0x${head[offset].toString(16).padStart(2, '0')} at byte ${offset})`;
  const text = head.toString('utf8', 0, Math.min(head.length, 200)).replace(/^\uFEFF/, '');
  const first = text.trimStart().split(/\r?\n/)[0].slice(0, 60);
  return `text starting with ${JSON.stringify(first)}`;
}

/** The format a file name asks for, looking through `.gz`; undefined for an unknown extension. */
export function formatFromName(path: string): { format: TableFormat | undefined; gzip: boolean } {
  const name = path.toLowerCase().split(/[\\/]/).pop() ?? '';
  const parts = name.split('.');
  const gzip = parts.length > 1 && parts[parts.length - 1] === 'gz';
  if (gzip) parts.pop();
  const ext = parts.length > 1 ? parts[parts.length - 1] : '';
  return { format: EXTENSIONS[ext] ?? (gzip ? 'csv' : undefined), gzip };
}

/** The format a text's first characters suggest. */
function formatFromText(text: string): TableFormat {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  const first = lines.find((l) => l !== '' && !l.startsWith('%'));
  if (first?.toLowerCase().startsWith('@relation')) return 'arff';
  if (first?.startsWith('{')) return 'jsonl';
  return 'csv';
}

function startsWithJsonObject(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
  try {
    const value: unknown = JSON.parse(first ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Decides the reader from the name (or `forced`) and checks it against the content. Text formats may
 * be gzip-compressed whatever their name; Parquet may not.
 */
export async function detectFormat(path: string, forced?: TableFormat): Promise<SourceInfo> {
  const head = await readHead(path);
  if (head.length === 0) {
    throw new DataError('empty-file', 'the file is empty: expected a header line or data rows', { file: path });
  }
  const byName = formatFromName(path);
  const named = forced ?? byName.format;
  const gzip = isGzip(head);
  const mismatch = (expected: string): DataError =>
    new DataError(
      'format-mismatch',
      `expected ${expected} but the content is ${describeContent(head)}; ` +
        `rename the file to match its content or pass the format explicitly (${TABLE_FORMATS.join(', ')})`,
      { file: path },
      { expected: named, found: describeContent(head) },
    );
  if (named === undefined && isParquet(head)) return { format: 'parquet', gzip: false };
  if (named === 'parquet') {
    if (!isParquet(head)) throw mismatch("a Parquet file (magic bytes 'PAR1')");
    return { format: 'parquet', gzip: false };
  }
  if (byName.gzip && !gzip) throw mismatch('gzip-compressed data (the name ends in .gz)');
  if (!gzip && isParquet(head)) throw mismatch(`a ${named?.toUpperCase()} text file`);
  const text = gzip ? await readHead(path, true) : head;
  if (text.length === 0) throw new DataError('empty-file', 'the file is empty after decompression', { file: path });
  if (binaryOffset(text) >= 0) {
    throw mismatch(named ? `a ${named.toUpperCase()} text file` : 'a text table (CSV, JSON lines or ARFF)');
  }
  const sniffed = formatFromText(text.toString('utf8'));
  const format = named ?? sniffed;
  if (format === 'arff' && sniffed !== 'arff') {
    throw new DataError('format-mismatch', `expected an ARFF file starting with '@relation' but found ${describeContent(text)}`, { file: path });
  }
  // A file named .csv that holds JSON lines would read as a headerless table of JSON fragments.
  if (forced === undefined && format === 'csv' && sniffed === 'jsonl' && startsWithJsonObject(text.toString('utf8'))) {
    throw mismatch('a CSV file');
  }
  if (format === 'jsonl' && sniffed !== 'jsonl') {
    throw new DataError('format-mismatch', `expected JSON lines (one object per line, starting with '{') but found ${describeContent(text)}`, { file: path });
  }
  return { format, gzip };
}
