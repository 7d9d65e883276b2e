/**
 * From files to encoded datasets: read (several files stacked, a joined table), infer the schema, split (stratified over all tasks, as a
 * split column says, or train/valid from DATA and test from a separate file), check the split holds
 * the data minimums (src/data/minimums.ts; refused below them unless forced), fit the feature plan
 * on the training rows only, encode features and labels.
 */
import {
  encodeLabels, inferOptionsOf, inferSchema, readCombined, readOptionsOf, splitFromColumn, splitRows, unseenLabelWarning,
  type JoinSpec, type Schema, type SchemaWarning, type Table, type TaskLabels,
} from '../data/index.js';
import { checkTaskClasses, heldOutWarnings, splitShortfalls, type DataWarning } from '../data/minimums.js';
import { checkLabelsAreNotFeatures } from '../data/tasks.js';
import { DataError, OptionError } from '../errors.js';
import { applyFeaturePlan, encodeFeatures, fitFeatures, requireFeatures, type EncodedFeatures, type FeaturePlan, type NumericEncoding } from '../features/index.js';
import type { Dataset } from './dataset.js';
import type { ResolvedTrainOptions } from './options.js';

export interface PreparedData {
  table: Table;
  schema: Schema;
  plan: FeaturePlan;
  train: Dataset;
  valid: Dataset | null;
  test: Dataset | null;
  /** The file the test rows came from (DATA itself when held out). */
  testSource: string | null;
  /** Which raw rows each split holds, for members that read the table their own way (trees). */
  rows: PreparedRows;
  warnings: Array<SchemaWarning | DataWarning>;
}

export interface PreparedRows {
  train: Int32Array;
  valid: Int32Array | null;
  /** The test table (DATA or the --test file) and its rows (null: all of them). */
  test: { table: Table; rows: Int32Array | null } | null;
}

function labelsFor(table: Table, schema: Schema, warnings: Array<SchemaWarning | DataWarning>): TaskLabels[] {
  return schema.tasks.map((task) => {
    const { labels, unseen } = encodeLabels(table, task);
    const w = unseenLabelWarning(task, unseen, table.source);
    if (w) warnings.push(w);
    return labels;
  });
}

/** Refuses a split below the minimums; forced, each shortfall is kept as a warning. */
function allowShortfalls(shortfalls: DataWarning[], source: string, o: ResolvedTrainOptions): DataWarning[] {
  if (o.force) return shortfalls.map((s) => ({ ...s, message: `${s.message} (trained anyway: --force)` }));
  if (shortfalls.length === 0) return [];
  const fix = o.splitColumn === undefined ? 'Add labelled rows' : `Add labelled rows, or mark more of them train or valid in the split column '${o.splitColumn}'`;
  throw new DataError(
    'too-little-data',
    `too little data to train on:\n${shortfalls.map((s) => `  - ${s.message}`).join('\n')}\n${fix}; or pass --force to train anyway with warnings`,
    { file: source },
    { shortfalls },
  );
}

function pickLabels(l: TaskLabels, rows: Int32Array): TaskLabels {
  if (l.type !== 'multilabel') return { ...l, classIndex: Int32Array.from(rows, (r) => l.classIndex[r]!) };
  const k = l.targets.length / l.mask.length;
  const targets = new Float32Array(rows.length * k);
  rows.forEach((r, i) => targets.set(l.targets.subarray(r * k, r * k + k), i * k));
  return { ...l, targets, mask: Uint8Array.from(rows, (r) => l.mask[r]!) };
}

/**
 * Features encoded when first read: a run of trees alone never reads them (trees take the plan's tree
 * view of the raw rows). Image columns are decoded now, because decoding is asynchronous.
 */
async function dataset(plan: FeaturePlan, table: Table, rows: Int32Array | null, labels: TaskLabels[]): Promise<Dataset> {
  const picked = rows ? labels.map((l) => pickLabels(l, rows)) : labels;
  if (plan.image.length > 0) return { features: await encodeFeatures(plan, table, rows ?? undefined), labels: picked };
  let features: EncodedFeatures | undefined;
  return {
    get features() {
      return (features ??= applyFeaturePlan(plan, table, rows ?? undefined));
    },
    labels: picked,
  };
}

/** The join a run asks for, refused when only one of --join and --on is given. */
function joinOf(o: ResolvedTrainOptions): JoinSpec | undefined {
  if (o.join === undefined && o.on === undefined) return undefined;
  if (o.join === undefined || o.on === undefined) {
    throw new OptionError('join-needs-key', `--join FILE and --on KEY go together (given: ${o.join !== undefined ? `--join ${o.join}` : `--on ${o.on}`})`, { join: o.join, on: o.on });
  }
  return { file: o.join, on: o.on };
}

/** DATA is one file or several stacked (columns matched by name); --join adds another table's columns by key. */
export async function prepareData(data: string | readonly string[], o: ResolvedTrainOptions): Promise<PreparedData> {
  const read = readOptionsOf(o);
  const join = joinOf(o);
  const files = typeof data === 'string' ? [data] : data;
  const combined = await readCombined(files, read, join);
  const table = combined.table;
  const ignore = o.splitColumn !== undefined ? [...o.ignore, o.splitColumn] : o.ignore;
  const schema = inferSchema(table, { ...inferOptionsOf({ ...o, ignore }), ...(o.tasks ? { tasks: o.tasks } : {}) });
  checkLabelsAreNotFeatures(table, schema, o);
  checkTaskClasses(schema, table.source);
  const warnings: PreparedData['warnings'] = [...schema.warnings, ...combined.warnings];
  const all = labelsFor(table, schema, warnings);
  const split = o.splitColumn !== undefined
    ? splitFromColumn(table, o.splitColumn)
    : splitRows(table.rowCount, all, { seed: o.seed, validFraction: o.validFraction, testFraction: o.test ? 0 : o.testFraction });
  if (o.test && split.test.length > 0) {
    throw new OptionError(
      'split-and-test',
      `the split column '${o.splitColumn}' marks ${split.test.length} rows as test and --test gives a test file too; keep one of them`,
      { splitColumn: o.splitColumn, test: o.test },
    );
  }
  const shortfalls = splitShortfalls(schema, all, split, o.splitColumn === undefined ? o.validFraction : undefined);
  warnings.push(...allowShortfalls(shortfalls, table.source, o));
  const plan = await fitFeatures(table, schema, split.train, {
    numericEncoding: o.numericEncoding as NumericEncoding | undefined,
    numericBins: o.numericBins,
    imageSize: o.imageSize,
    imageMissing: o.imageMissing,
  });
  requireFeatures(plan, table, schema);
  const valid = split.valid.length > 0 ? await dataset(plan, table, split.valid, all) : null;
  let test: Dataset | null = null;
  let testSource: string | null = null;
  let testRows: PreparedRows['test'] = null;
  if (o.test) {
    const testRead = await readCombined([o.test], read, join);
    warnings.push(...testRead.warnings);
    const testTable = testRead.table;
    const labels = labelsFor(testTable, schema, warnings);
    warnings.push(...heldOutWarnings(schema, labels, null, `the test file ${o.test}`));
    test = await dataset(plan, testTable, null, labels);
    testSource = o.test;
    testRows = { table: testTable, rows: null };
  } else if (split.test.length > 0 || (o.splitColumn === undefined && o.testFraction > 0)) {
    const share = o.splitColumn === undefined ? `the test share (--test-fraction ${o.testFraction}) of ${data}` : `the test rows of the split column '${o.splitColumn}'`;
    warnings.push(...heldOutWarnings(schema, all, split.test, share));
    if (split.test.length > 0) {
      test = await dataset(plan, table, split.test, all);
      testSource = table.source;
      testRows = { table, rows: split.test };
    }
  }
  const rows = { train: split.train, valid: split.valid.length > 0 ? split.valid : null, test: testRows };
  return { table, schema, plan, train: await dataset(plan, table, split.train, all), valid, test, testSource, rows, warnings };
}
