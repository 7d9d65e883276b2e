/** Rows as objects, `{"rows": [{col: value}]}` or MLflow's `dataframe_records`: every row names every input (null for a missing value). */
import { checkColumnNames, checkRowCount, emptyBatch, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
import { badRequest } from '../request-error.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function decodeRecords(records: unknown, rules: ColumnRules, field: string): ColumnBatch {
  if (!Array.isArray(records)) throw badRequest('bad-body', `'${field}' must be an array of objects, one per row`);
  const rows = records.length;
  checkRowCount(rows, rules);
  const first: unknown = records[0];
  if (!isObject(first)) throw badRequest('bad-body', `${field}[0] must be an object {column: value}`);
  if (rules.unknownColumns === 'refuse') checkColumnNames(Object.keys(first), rules);
  const batch = emptyBatch(rows, rules.inputs);
  const { inputs, slots } = rules;
  for (let r = 0; r < rows; r++) {
    const row: unknown = records[r];
    if (!isObject(row)) throw badRequest('bad-body', `${field}[${r}] must be an object {column: value}`);
    for (let j = 0; j < inputs.length; j++) {
      const name = inputs[j]!.name;
      if (!Object.hasOwn(row, name)) {
        // The first row's names are checked as a whole, so a request lacking columns hears of them all.
        if (r === 0) checkColumnNames(Object.keys(row), rules);
        throw badRequest('missing-value', `${field}[${r}] has no '${name}'; send null for a missing value`, { column: name, row: r });
      }
      const value = row[name];
      const where = (): string => `column '${name}', ${field}[${r}]`;
      const at = slots[j]! * rows + r;
      if (inputs[j]!.dtype === 'float32') batch.numbers[at] = numberCell(value, rules, where, false);
      else batch.strings[at] = stringCell(value, rules, where);
    }
    if (r > 0 && rules.unknownColumns === 'refuse') checkColumnNames(Object.keys(row), rules);
  }
  return batch;
}
