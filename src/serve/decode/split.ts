/** MLflow's `dataframe_split`: `{"columns": [...], "data": [[...], ...]}` (pandas `to_json(orient="split")`). */
import { checkColumnNames, checkRowCount, emptyBatch, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
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
  const rows = data.length;
  checkRowCount(rows, rules);
  checkColumnNames(names, rules);
  const { inputs, slots } = rules;
  const from = inputs.map((i) => names.indexOf(i.name));
  const batch = emptyBatch(rows, inputs);
  for (let r = 0; r < rows; r++) {
    const row: unknown = data[r];
    if (!Array.isArray(row) || row.length !== names.length) {
      throw badRequest('bad-body', `dataframe_split.data[${r}] must be an array of ${names.length} values, one per column`);
    }
    for (let j = 0; j < inputs.length; j++) {
      const where = (): string => `column '${inputs[j]!.name}', dataframe_split.data[${r}]`;
      const at = slots[j]! * rows + r;
      if (inputs[j]!.dtype === 'float32') batch.numbers[at] = numberCell(row[from[j]!], rules, where, false);
      else batch.strings[at] = stringCell(row[from[j]!], rules, where);
    }
  }
  return batch;
}
