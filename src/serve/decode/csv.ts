/** `text/csv` bodies for /invocations: a header line, then rows; cells are trimmed and read as a CSV file is. */
import { parse } from 'csv-parse/sync';
import { checkColumnNames, checkRowCount, emptyBatch, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
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
  const batch = emptyBatch(rows, rules.inputs);
  rules.inputs.forEach((input, j) => {
    const from = header.indexOf(input.name);
    const base = rules.slots[j]! * rows;
    for (let r = 0; r < rows; r++) {
      const cell = records[r + 1]![from]!;
      const where = (): string => `column '${input.name}', CSV line ${r + 2}`;
      if (input.dtype === 'float32') batch.numbers[base + r] = numberCell(cell, rules, where, true);
      else batch.strings[base + r] = stringCell(cell, rules, where);
    }
  });
  return batch;
}
