/**
 * `readTable`: one entry for every table file. The reader is chosen by the file name (looking through
 * `.gz`) and checked against the content; an unknown extension is decided by the content alone.
 */
import { OptionError } from '../errors.js';
import { readArff } from './arff.js';
import { MissingTokens } from './column-builder.js';
import { readCsv, type CsvOptions } from './csv.js';
import { detectFormat, TABLE_FORMATS, type TableFormat } from './format.js';
import { readJsonl } from './jsonl.js';
import { readParquet } from './parquet.js';
import type { Table } from './table.js';

export interface ReadOptions extends CsvOptions {
  /** Skip detection and use this reader (the content is still checked). */
  format?: TableFormat;
  /** Texts read as missing values, on top of '', NA, N/A, null, ?, NaN (case-insensitive). */
  missingTokens?: string[];
}

export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  validate(options);
  const source = await detectFormat(path, options.format);
  const missing = new MissingTokens(options.missingTokens ?? []);
  if (source.format !== 'csv' && options.columns !== undefined) {
    throw new OptionError(
      'columns-not-csv',
      `column names can only be given for delimited text files; ${path} is read as ${source.format}, which names its columns`,
      { format: source.format },
    );
  }
  switch (source.format) {
    case 'csv':
      return readCsv(path, options, missing, source.gzip);
    case 'jsonl':
      return readJsonl(path, missing, source.gzip);
    case 'arff':
      return readArff(path, missing, source.gzip);
    case 'parquet':
      return readParquet(path, missing);
  }
}

export function validate(options: ReadOptions): void {
  if (options.format !== undefined && !TABLE_FORMATS.includes(options.format)) {
    throw new OptionError('bad-format', `unknown format '${String(options.format)}'; allowed: ${TABLE_FORMATS.join(', ')}`, {
      allowed: TABLE_FORMATS,
    });
  }
  if (options.delimiter !== undefined && options.delimiter.length !== 1) {
    throw new OptionError('bad-delimiter', `the delimiter must be one character, got ${JSON.stringify(options.delimiter)}`);
  }
  if (options.columns !== undefined) {
    if (options.columns.length === 0) throw new OptionError('bad-columns', 'the list of column names is empty');
    const dup = options.columns.find((c, i) => options.columns?.indexOf(c) !== i);
    if (dup !== undefined) throw new OptionError('bad-columns', `column name '${dup}' is given twice`, { columns: options.columns });
  }
}
