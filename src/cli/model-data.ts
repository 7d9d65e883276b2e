/** Reading a data file for a saved model: a file without a header reuses the training column names. */
import { readTable, type ReadOptions } from '../data/read.js';
import type { Table } from '../data/table.js';
import type { PolyheadModel } from '../bundle/model.js';
import { list } from './options.js';

export async function readForModel(model: PolyheadModel, data: string, columns?: string): Promise<Table> {
  const trained = model.meta.options.columns as string[] | undefined;
  const read: ReadOptions = columns ? { columns: list(columns) } : trained ? { columns: trained } : {};
  return readTable(data, read);
}
