/**
 * Train / validation / test rows: stratified jointly over all tasks and seeded, or read from a split
 * column; k folds for fusion. Row indices are Int32Arrays sorted ascending.
 */
import { DataError, OptionError } from '../errors.js';
import { Random } from '../util/random.js';
import { getColumn, lineOf, valueText } from './columns.js';
import type { TaskLabels } from './schema.js';
import { iterativeStratification } from './stratify.js';
import type { Table } from './table.js';

export interface Split {
  train: Int32Array;
  valid: Int32Array;
  /** Empty when the test rows come from a separate file. */
  test: Int32Array;
}

export interface Fold {
  train: Int32Array;
  valid: Int32Array;
}

export interface SplitOptions {
  /** Same seed, same split (default 0). */
  seed?: number;
  /** Share of rows for validation (default 0.1). */
  validFraction?: number;
  /** Share of rows for test (default 0.2; 0 when a separate test file is used). */
  testFraction?: number;
  /** Split only these rows (default: all `rowCount` rows). */
  rows?: Int32Array;
}

/** Stratified, seeded train/valid/test split of `rowCount` rows over all tasks' labels. */
export function splitRows(rowCount: number, labels: TaskLabels[], options: SplitOptions = {}): Split {
  const validFraction = options.validFraction ?? 0.1;
  const testFraction = options.testFraction ?? 0.2;
  for (const [name, value] of [['validFraction', validFraction], ['testFraction', testFraction]] as const) {
    if (!(value >= 0 && value < 1)) throw new OptionError('bad-split', `${name} must be in [0, 1), got ${value}`, { [name]: value });
  }
  if (validFraction + testFraction >= 1) {
    throw new OptionError('bad-split', `validFraction + testFraction must leave rows to train on, got ${validFraction} + ${testFraction}`);
  }
  checkLabels(rowCount, labels);
  const rows = options.rows ?? Int32Array.from({ length: rowCount }, (_, i) => i);
  const rng = new Random(options.seed ?? 0);
  const [train, valid, test] = iterativeStratification(rows, labels, [1 - validFraction - testFraction, validFraction, testFraction], rng);
  return { train, valid, test };
}

/**
 * k stratified folds of `rows`: each row is in exactly one fold's `valid`, and `train` is the rest.
 */
export function kFolds(rows: Int32Array, k: number, seed: number, labels: TaskLabels[]): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > rows.length) {
    throw new OptionError('bad-folds', `the number of folds must be an integer from 2 to the number of rows (${rows.length}), got ${k}`, { k });
  }
  const parts = iterativeStratification(rows, labels, new Array<number>(k).fill(1 / k), new Random(seed));
  return parts.map((valid, f) => {
    const train = new Int32Array(rows.length - valid.length);
    let n = 0;
    parts.forEach((part, g) => {
      if (g !== f) {
        train.set(part, n);
        n += part.length;
      }
    });
    return { train: train.sort(), valid };
  });
}

const SPLIT_NAMES: Record<string, keyof Split> = {
  train: 'train', training: 'train',
  valid: 'valid', validation: 'valid', val: 'valid', dev: 'valid',
  test: 'test', testing: 'test',
};

/** The split a column spells out row by row (train / valid / test, case-insensitive). */
export function splitFromColumn(table: Table, column: string): Split {
  const col = getColumn(table, column, 'the split column');
  const parts: Record<keyof Split, number[]> = { train: [], valid: [], test: [] };
  for (let row = 0; row < table.rowCount; row++) {
    const text = valueText(col, row);
    const part = text === undefined ? undefined : SPLIT_NAMES[text.trim().toLowerCase()];
    if (part === undefined) {
      throw new DataError(
        'bad-split-value',
        `the split column holds ${text === undefined ? 'a missing value' : `'${text}'`}; expected train, valid or test`,
        { file: table.source, line: lineOf(table, row), column },
      );
    }
    parts[part].push(row);
  }
  if (parts.train.length === 0) {
    throw new DataError('bad-split-value', 'the split column marks no row as train', { file: table.source, column });
  }
  return { train: Int32Array.from(parts.train), valid: Int32Array.from(parts.valid), test: Int32Array.from(parts.test) };
}

function checkLabels(rowCount: number, labels: TaskLabels[]): void {
  for (const l of labels) {
    const n = l.type === 'multilabel' ? l.mask.length : l.classIndex.length;
    if (n !== rowCount) {
      throw new OptionError('bad-split', `labels of task '${l.task}' cover ${n} rows but the table has ${rowCount}`, { task: l.task });
    }
  }
}
