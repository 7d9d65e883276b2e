/**
 * The columnar table every reader produces. Numbers live in typed arrays, strings are
 * dictionary-encoded, so a million-row file never becomes a million objects.
 */

/** Numbers; NaN marks a missing value. */
export interface NumericColumn {
  type: 'number';
  name: string;
  values: Float64Array;
}

/** Strings, dictionary-encoded; code -1 marks a missing value. */
export interface StringColumn {
  type: 'string';
  name: string;
  codes: Int32Array;
  dictionary: string[];
}

export type Column = NumericColumn | StringColumn;

export interface Table {
  /** The file the rows came from, as the user named it (for error messages). */
  source: string;
  rowCount: number;
  columns: Column[];
  /** 1-based line (or record) number of each row in `source`, for error messages. */
  lines?: Int32Array;
}
