/**
 * Leakage: a feature that determines a target. For each (feature, target) the rows are grouped by the
 * feature's value (numbers in up to 100 quantile bins) and we measure purity, the share of rows whose
 * label is the majority label of their group. Purity ≥ 99% on enough rows, when guessing the overall
 * majority class would be far worse, means the feature is (nearly) a copy of the label or computed
 * from it. Groups must hold 20 rows on average so that many tiny groups cannot look pure by chance.
 */
import { encodeLabels } from './labels.js';
import type { FeatureColumn, SchemaWarning, Task } from './schema.js';
import type { Column, Table } from './table.js';

export const LEAKAGE_PURITY = 0.99;
const MIN_ROWS = 100;
const ROWS_PER_GROUP = 20;
const MAX_BINS = 100;
/** Bin edges come from a sorted sample of this many values (enough for 100 quantiles). */
const SAMPLE = 20_000;

interface Target {
  task: string;
  name: string;
  classIndex: Int32Array;
  classes: number;
}

export function leakageWarnings(table: Table, features: FeatureColumn[], tasks: Task[]): SchemaWarning[] {
  const targets = tasks.flatMap((t) => targetsOf(table, t));
  const warnings: SchemaWarning[] = [];
  for (const feature of features) {
    if (feature.kind === 'text') continue;
    const column = table.columns.find((c) => c.name === feature.name);
    if (!column) continue;
    const groups = groupCodes(column);
    for (const target of targets) {
      const result = purity(groups, target);
      if (!result) continue;
      const { purity: p, majority, rows, groupCount } = result;
      if (p < LEAKAGE_PURITY || 1 - p > 0.2 * (1 - majority)) continue;
      warnings.push({
        code: 'leakage',
        column: feature.name,
        task: target.task,
        message:
          `feature '${feature.name}' nearly determines ${target.name}: its value gives the label for ${(p * 100).toFixed(2)}% ` +
          `of ${rows} rows (${groupCount} distinct values or bins; the majority class alone gives ${(majority * 100).toFixed(1)}%). ` +
          `If it is computed from the label or only known afterwards, ignore it`,
      });
    }
  }
  return warnings;
}

function targetsOf(table: Table, task: Task): Target[] {
  const { labels } = encodeLabels(table, task);
  if (labels.type !== 'multilabel') {
    return [{ task: task.name, name: `task '${task.name}'`, classIndex: labels.classIndex, classes: task.classes.length }];
  }
  const k = task.columns.length;
  return task.columns.map((column, j) => {
    const classIndex = new Int32Array(table.rowCount);
    for (let i = 0; i < classIndex.length; i++) classIndex[i] = labels.mask[i] ? labels.targets[i * k + j] : -1;
    return { task: task.name, name: `label '${column}' of task '${task.name}'`, classIndex, classes: 2 };
  });
}

/** A group per row (-1 when missing): dictionary codes, exact numbers when few, else quantile bins. */
function groupCodes(column: Column): { codes: Int32Array; count: number } {
  if (column.type === 'string') return { codes: column.codes, count: column.dictionary.length };
  const values = column.values;
  const sorted = sample(values);
  const bins = Math.min(MAX_BINS, Math.max(1, Math.floor(sorted.length / ROWS_PER_GROUP)));
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= bins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const exact = distinct.length <= bins;
  const cuts = exact ? distinct : Array.from({ length: bins - 1 }, (_, b) => sorted[Math.floor(((b + 1) * sorted.length) / bins)]);
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = values[i] === values[i] ? upperIndex(cuts, values[i], exact) : -1;
  return { codes, count: cuts.length + 1 };
}

/** Up to SAMPLE non-missing values taken at even strides, sorted. */
function sample(values: Float64Array): Float64Array {
  let present = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present++;
  const stride = Math.max(1, Math.floor(present / SAMPLE));
  const out = new Float64Array(Math.ceil(present / stride));
  let n = 0;
  let k = 0;
  for (let i = 0; i < values.length && n < out.length; i++) {
    if (values[i] !== values[i]) continue;
    if (k++ % stride === 0) out[n++] = values[i];
  }
  return out.subarray(0, n).sort();
}

/** Exact: the index of x in `cuts`; binned: how many cuts are ≤ x. */
function upperIndex(cuts: number[], x: number, exact: boolean): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (exact ? cuts[mid] < x : cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function purity(groups: { codes: Int32Array; count: number }, target: Target) {
  const { codes, count } = groups;
  const k = target.classes;
  if (k < 2 || count * k > 50_000_000) return undefined;
  const table = new Int32Array(count * k);
  const classTotals = new Int32Array(k);
  let rows = 0;
  for (let i = 0; i < codes.length; i++) {
    const g = codes[i];
    const c = target.classIndex[i];
    if (g < 0 || c < 0) continue;
    table[g * k + c]++;
    classTotals[c]++;
    rows++;
  }
  let pure = 0;
  let groupCount = 0;
  for (let g = 0; g < count; g++) {
    let best = 0;
    let any = 0;
    for (let c = 0; c < k; c++) {
      const n = table[g * k + c];
      any += n;
      if (n > best) best = n;
    }
    pure += best;
    if (any > 0) groupCount++;
  }
  if (rows < MIN_ROWS || groupCount > rows / ROWS_PER_GROUP) return undefined;
  return { purity: pure / rows, majority: Math.max(...classTotals) / rows, rows, groupCount };
}
