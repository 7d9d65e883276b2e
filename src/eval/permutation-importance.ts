/**
 * Permutation importance (Breiman 2001; sklearn's permutation_importance): shuffle one raw feature
 * column at a time among the evaluated rows, seeded, and measure how much each task's score drops.
 * The model is only a scoring function here, so the same code serves any model and tests need no
 * engine. Labels stay in place: only the feature column moves, so its link to the target breaks.
 */
import type { Column, Table } from '../data/table.js';
import { DataError } from '../errors.js';
import { Random } from '../util/random.js';

export interface PermutationOptions {
  /** Raw feature columns to shuffle, by name. */
  features: string[];
  /** Per task, true when a smaller score is better (log loss, Hamming loss). */
  lowerIsBetter: boolean[];
  /** Shuffles per feature; the drop is their mean. */
  repeats: number;
  seed: number;
}

export interface FeatureDrop {
  feature: string;
  /** Per task: mean drop of the score (positive = the model needed the column), and its standard deviation over repeats. */
  drop: number[];
  std: number[];
}

/** Per task, the score of the model on `table` (the same rows each call, only the features differ). */
export type TableScorer = (table: Table) => Promise<number[]>;

/** The importance of each feature, in the order of `options.features`. */
export async function permutationImportance(table: Table, score: TableScorer, options: PermutationOptions): Promise<FeatureDrop[]> {
  const base = await score(table);
  const random = new Random(options.seed);
  const out: FeatureDrop[] = [];
  for (const feature of options.features) {
    const index = table.columns.findIndex((c) => c.name === feature);
    if (index < 0) throw new DataError('missing-column', `feature column '${feature}' is not in the table; permutation importance shuffles the model's raw input columns`, { file: table.source, column: feature });
    const drops: number[][] = base.map(() => []);
    for (let r = 0; r < options.repeats; r++) {
      const columns = table.columns.slice();
      columns[index] = permuted(table.columns[index]!, random.permutation(table.rowCount));
      const scores = await score({ ...table, columns });
      scores.forEach((s, t) => drops[t]!.push(options.lowerIsBetter[t] ? s - base[t]! : base[t]! - s));
    }
    out.push({ feature, drop: drops.map(mean), std: drops.map(standardDeviation) });
  }
  return out;
}

function permuted(column: Column, order: Int32Array): Column {
  if (column.type === 'number') return { ...column, values: Float64Array.from(order, (i) => column.values[i]!) };
  return { ...column, codes: Int32Array.from(order, (i) => column.codes[i]!) };
}

/** The rows of `rows` as a table of their own (for scoring a sample). */
export function takeRows(table: Table, rows: Int32Array): Table {
  const columns = table.columns.map((c): Column => (c.type === 'number' ? { ...c, values: Float64Array.from(rows, (i) => c.values[i]!) } : { ...c, codes: Int32Array.from(rows, (i) => c.codes[i]!) }));
  return { source: table.source, rowCount: rows.length, columns, ...(table.lines ? { lines: Int32Array.from(rows, (i) => table.lines![i]!) } : {}), ...(table.meta ? { meta: table.meta } : {}) };
}

/** At most `max` row indices of a table of `rowCount` rows, a seeded sample in ascending order. */
export function sampleRows(rowCount: number, max: number, seed: number): Int32Array {
  if (rowCount <= max) return Int32Array.from({ length: rowCount }, (_, i) => i);
  return new Random(seed).permutation(rowCount).subarray(0, max).sort();
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function standardDeviation(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
}
