/**
 * What a user says about a table beyond its file: column names, ignored columns, declared kinds,
 * extra missing-value tokens, delimiter and header. The same settings read the training file, the
 * test file and, stored with the model, the files given to eval and predict.
 */
import type { InferOptions } from './infer.js';
import type { TableFormat } from './format.js';
import type { ReadOptions } from './read.js';
import type { ColumnKind } from './schema.js';

export interface TableSettings {
  columns?: string[];
  ignore?: string[];
  /** Declared kinds by column; checked by `inferSchema`. */
  kinds?: Record<string, string>;
  missing?: string[];
  delimiter?: string;
  header?: boolean;
  /** The file's format when its name does not say it; never carried over to other files. */
  format?: string;
}

export function readOptionsOf(s: TableSettings): ReadOptions {
  return {
    ...(s.columns !== undefined ? { columns: s.columns } : {}),
    ...(s.missing !== undefined ? { missingTokens: s.missing } : {}),
    ...(s.delimiter !== undefined ? { delimiter: s.delimiter } : {}),
    ...(s.header !== undefined ? { header: s.header } : {}),
    ...(s.format !== undefined ? { format: s.format as TableFormat } : {}),
  };
}

export function inferOptionsOf(s: TableSettings): InferOptions {
  return {
    ...(s.ignore !== undefined ? { ignore: s.ignore } : {}),
    ...(s.kinds !== undefined ? { kinds: s.kinds as Record<string, ColumnKind> } : {}),
    ...(s.missing !== undefined ? { missingTokens: s.missing } : {}),
  };
}
