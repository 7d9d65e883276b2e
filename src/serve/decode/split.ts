/** MLflow's `dataframe_split`: `{"columns": [...], "data": [[...], ...]}` (pandas `to_json(orient="split")`). */
import { checkColumnNames, checkRowCount, emptyColumns, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
import { badRequest } from '../request-error.js';

export function decodeSplit(split: unknown, rules: ColumnRules): ColumnBatch {
  if (typeof split !== 'object' || split === null || Array.isArray(split)) {
    throw badRequest('bad-body', "'dataframe_split' must be an object {\"columns\": [...], \"data\": [[...]]}");
  }
  const { columns: names, data } = split as { columns?: unknown; data?: unknown };
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw badRequest('bad-body', "'dataframe_split.columns' must be an array of column names");
  }
  if (new Set(names).size !== names.length) throw badRequest('bad-body', "'dataframe_split.columns' names a column twice");
  if (!Array.isArray(data)) throw badRequest('bad-body', "'dataframe_split.data' must be an array of rows");
  checkRowCount(data.length, rules);
  checkColumnNames(names, rules);
  const at = rules.inputs.map((i) => names.indexOf(i.name));
  const columns = emptyColumns(data.length, rules);
  data.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== names.length) {
      throw badRequest('bad-body', `dataframe_split.data[${r}] must be an array of ${names.length} values, one per column`);
    }
    rules.inputs.forEach((input, j) => {
      const where = (): string => `column '${input.name}', dataframe_split.data[${r}]`;
      const out = columns.get(input.name)!;
      if (input.dtype === 'float32') (out as Float64Array)[r] = numberCell(row[at[j]!], rules, where, false);
      else (out as string[])[r] = stringCell(row[at[j]!], rules, where);
    });
  });
  return { rows: data.length, columns };
}
