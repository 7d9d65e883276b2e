/** A ColumnBatch as the columnar table PolyheadModel.predict reads: strings dictionary-encoded, '' missing. */
import type { Column, Table } from '../data/table.js';
import type { ColumnBatch } from './columns.js';

export function batchTable(batch: ColumnBatch): Table {
  const columns: Column[] = [];
  for (const [name, values] of batch.columns) {
    if (values instanceof Float64Array) {
      columns.push({ type: 'number', name, values });
      continue;
    }
    const lookup = new Map<string, number>();
    const dictionary: string[] = [];
    const codes = new Int32Array(values.length);
    values.forEach((v, i) => {
      if (v === '') return void (codes[i] = -1);
      let c = lookup.get(v);
      if (c === undefined) lookup.set(v, (c = dictionary.push(v) - 1));
      codes[i] = c;
    });
    columns.push({ type: 'string', name, codes, dictionary });
  }
  return { source: 'request', rowCount: batch.rows, columns };
}
