/** Rows as objects, `{"rows": [{col: value}]}` or MLflow's `dataframe_records`: every row names every input (null for a missing value). */
import { checkColumnNames, checkRowCount, emptyColumns, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
import { badRequest } from '../request-error.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function decodeRecords(records: unknown, rules: ColumnRules, field: string): ColumnBatch {
  if (!Array.isArray(records)) throw badRequest('bad-body', `'${field}' must be an array of objects, one per row`);
  checkRowCount(records.length, rules);
  const first = records[0];
  if (!isObject(first)) throw badRequest('bad-body', `${field}[0] must be an object {column: value}`);
  checkColumnNames(Object.keys(first), rules);
  const columns = emptyColumns(records.length, rules);
  records.forEach((row: unknown, r) => {
    if (!isObject(row)) throw badRequest('bad-body', `${field}[${r}] must be an object {column: value}`);
    for (const input of rules.inputs) {
      if (!Object.hasOwn(row, input.name)) {
        throw badRequest('missing-value', `${field}[${r}] has no '${input.name}'; send null for a missing value`, { column: input.name, row: r });
      }
      const where = (): string => `column '${input.name}', ${field}[${r}]`;
      const out = columns.get(input.name)!;
      if (input.dtype === 'float32') (out as Float64Array)[r] = numberCell(row[input.name], rules, where, false);
      else (out as string[])[r] = stringCell(row[input.name], rules, where);
    }
    if (r > 0 && rules.unknownColumns === 'refuse') checkColumnNames(Object.keys(row), rules);
  });
  return { rows: records.length, columns };
}
