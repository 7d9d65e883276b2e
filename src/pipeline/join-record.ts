/**
 * What model.json says about a run's --join: the joined file, its key and the columns it added, so
 * that `predict` and `eval` know the model needs the same table joined to their rows again.
 */
import { readOptionsOf, readTable } from '../data/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';

export interface JoinRecord {
  /** The joined table as given at training (its rows may change since: predict takes it again). */
  file: string;
  on: string;
  /** The columns it added to each row (all of its columns but the key). */
  columns: string[];
}

export async function joinRecord(o: ResolvedTrainOptions): Promise<JoinRecord | undefined> {
  if (o.join === undefined || o.on === undefined) return undefined;
  const read = readOptionsOf(o);
  const other = await readTable(o.join, read.missingTokens ? { missingTokens: read.missingTokens } : {});
  return { file: o.join, on: o.on, columns: other.columns.map((c) => c.name).filter((name) => name !== o.on) };
}
