/**
 * The columnar table every reader produces. Numbers live in typed arrays, strings are
 * dictionary-encoded, so a million-row file never becomes a million objects.
 */

/**
 * What the file itself declares a column's values to be: an ARFF attribute type, a Parquet physical
 * or logical type, a JSON-lines key whose every value is a JSON number (or every one a JSON boolean).
 * Inference keeps it: a declared number is never made boolean, a declared string never numeric, a
 * nominal attribute is categorical. Delimited text declares nothing.
 */
export type DeclaredType = 'number' | 'boolean' | 'nominal' | 'string' | 'date';

/** Numbers; NaN marks a missing value. */
export interface NumericColumn {
  type: 'number';
  name: string;
  values: Float64Array;
  declared?: DeclaredType;
}

/** Strings, dictionary-encoded; code -1 marks a missing value. */
export interface StringColumn {
  type: 'string';
  name: string;
  codes: Int32Array;
  dictionary: string[];
  declared?: DeclaredType;
}

export type Column = NumericColumn | StringColumn;

export interface Table {
  /** The file the rows came from, as the user named it (for error messages). */
  source: string;
  rowCount: number;
  columns: Column[];
  /** 1-based line (or record) number of each row in `source`, for error messages. */
  lines?: Int32Array;
  /** What the file itself says about its rows, beyond the values. */
  meta?: TableMeta;
}

export interface TableMeta {
  /** Columns the file declares as labels (ARFF MULAN/MEKA `-C n` header), in file order. */
  labelColumns?: string[];
  /** The ARFF relation name, or another dataset name the file carries. */
  relation?: string;
  /** 1-based lines skipped as not data (the first 100): a junk first line such as adult.test's `|1x3 ...`, lines starting with '|'. Comment lines are not listed. */
  skippedLines?: number[];
  /** The format the reader used. */
  format?: 'csv' | 'parquet' | 'jsonl' | 'arff';
}
