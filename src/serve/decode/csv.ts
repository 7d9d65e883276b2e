/** `text/csv` bodies for /invocations: a header line, then rows; cells are trimmed and read as a CSV file is. */
import { parse } from 'csv-parse/sync';
import { checkColumnNames, checkRowCount, emptyColumns, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
import { badRequest } from '../request-error.js';

export function decodeCsv(text: string, rules: ColumnRules): ColumnBatch {
  let records: string[][];
  try {
    records = parse(text, { trim: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw badRequest('bad-csv', `the CSV body cannot be read: ${(err as Error).message}`);
  }
  const header = records[0];
  if (!header) throw badRequest('no-rows', 'the CSV body is empty; send a header line and rows');
  if (new Set(header).size !== header.length) throw badRequest('bad-csv', 'the CSV header names a column twice');
  const rows = records.length - 1;
  checkRowCount(rows, rules);
  checkColumnNames(header, rules);
  const columns = emptyColumns(rows, rules);
  for (const input of rules.inputs) {
    const j = header.indexOf(input.name);
    const out = columns.get(input.name)!;
    for (let r = 0; r < rows; r++) {
      const cell = records[r + 1]![j]!;
      const where = (): string => `column '${input.name}', CSV line ${r + 2}`;
      if (input.dtype === 'float32') (out as Float64Array)[r] = numberCell(cell, rules, where, true);
      else (out as string[])[r] = stringCell(cell, rules, where);
    }
  }
  return { rows, columns };
}
