/**
 * Labels: the classes a column holds, and a task's labels encoded as class indices (single-column
 * tasks) or 0/1 targets with a row mask (multi-label tasks).
 */
import { getColumn } from './columns.js';
import type { SchemaWarning, Task, TaskLabels } from './schema.js';
import type { Column, Table } from './table.js';

/** Texts read as a positive / negative binary label (case-insensitive). */
const POSITIVE = new Set(['1', 'true', 'yes', 'y', 't', '+1', '1.0']);
const NEGATIVE = new Set(['0', 'false', 'no', 'n', 'f', '-1', '0.0']);

/** 1, 0, or undefined when the text is not a binary label. */
export function binaryLabel(text: string): 0 | 1 | undefined {
  const t = text.trim().toLowerCase();
  return POSITIVE.has(t) ? 1 : NEGATIVE.has(t) ? 0 : undefined;
}

/** Sorted for reproducible output order: numerically when every class is a number, else by code point. */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...new Set(classes)];
  const numbers = list.map(Number);
  if (list.every((c, i) => c.trim() !== '' && Number.isFinite(numbers[i]))) {
    return list.map((c, i) => [c, numbers[i]] as const).sort((a, b) => a[1] - b[1]).map((p) => p[0]);
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How many rows hold each value of a column (values as text), and how many are missing. */
export function valueCounts(column: Column): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  if (column.type === 'number') {
    for (const x of column.values) {
      if (x !== x) missing++;
      else {
        const key = String(x);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return { counts, missing };
  }
  const perCode = new Int32Array(column.dictionary.length);
  for (const code of column.codes) {
    if (code < 0) missing++;
    else perCode[code]++;
  }
  perCode.forEach((n, code) => {
    if (n > 0) counts.set(column.dictionary[code], (counts.get(column.dictionary[code]) ?? 0) + n);
  });
  return { counts, missing };
}

export interface EncodedLabels {
  labels: TaskLabels;
  /** Values that are not one of `classes` (read as missing), with their row counts. */
  unseen: Map<string, number>;
}

/**
 * Encodes a task's labels against `classes` (the training classes, by default the task's). Missing
 * values become -1 (single-column) or mask 0 (multi-label: a row is masked when any of its labels is
 * missing or not binary). A value that is not a class is counted in `unseen` and treated as missing,
 * except that a value matching a class once one trailing '.' is stripped is accepted as that class:
 * UCI adult.test writes '<=50K.' where adult.data writes '<=50K'.
 */
export function encodeLabels(table: Table, task: Task, classes: string[] = task.classes): EncodedLabels {
  const unseen = new Map<string, number>();
  const note = (value: string): void => {
    unseen.set(value, (unseen.get(value) ?? 0) + 1);
  };
  if (task.type === 'multilabel') {
    const n = table.rowCount;
    const k = task.columns.length;
    const targets = new Float32Array(n * k);
    const mask = new Uint8Array(n).fill(1);
    task.columns.forEach((name, j) => {
      const column = getColumn(table, name, `a label of task '${task.name}'`);
      const bits = binaryByValue(column);
      for (let i = 0; i < n; i++) {
        const bit = bits(i);
        if (bit === 0 || bit === 1) targets[i * k + j] = bit;
        else {
          mask[i] = 0;
          if (typeof bit === 'string') note(`${name}=${bit}`);
        }
      }
    });
    return { labels: { task: task.name, type: 'multilabel', targets, mask }, unseen };
  }
  const column = getColumn(table, task.columns[0], `the label of task '${task.name}'`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const lookup = (value: string): number => {
    const direct = index.get(value);
    if (direct !== undefined) return direct;
    const stripped = value.endsWith('.') ? index.get(value.slice(0, -1)) : undefined;
    if (stripped !== undefined) return stripped;
    return -1;
  };
  const classIndex = new Int32Array(table.rowCount);
  if (column.type === 'string') {
    const byCode = Int32Array.from(column.dictionary, lookup);
    for (let i = 0; i < classIndex.length; i++) {
      const code = column.codes[i];
      const c = code < 0 ? -1 : byCode[code];
      if (code >= 0 && c < 0) note(column.dictionary[code]);
      classIndex[i] = c;
    }
  } else {
    const cache = new Map<number, number>();
    for (let i = 0; i < classIndex.length; i++) {
      const x = column.values[i];
      if (x !== x) {
        classIndex[i] = -1;
        continue;
      }
      let c = cache.get(x);
      if (c === undefined) cache.set(x, (c = lookup(String(x))));
      if (c < 0) note(String(x));
      classIndex[i] = c;
    }
  }
  return { labels: { task: task.name, type: task.type, classIndex }, unseen };
}

/** Per row: 0/1, undefined when missing, or the offending text when it is not a binary label. */
function binaryByValue(column: Column): (row: number) => 0 | 1 | string | undefined {
  if (column.type === 'number') {
    return (row) => {
      const x = column.values[row];
      if (x !== x) return undefined;
      return x === 1 ? 1 : x === 0 || x === -1 ? 0 : String(x);
    };
  }
  const byCode = column.dictionary.map((text) => binaryLabel(text) ?? text);
  return (row) => {
    const code = column.codes[row];
    return code < 0 ? undefined : byCode[code];
  };
}

/** Rows per class and missing rows of encoded labels (multi-label: positives per label). */
export function labelCounts(labels: TaskLabels, classCount: number): { counts: number[]; missing: number } {
  const counts = new Array<number>(classCount).fill(0);
  let missing = 0;
  if (labels.type === 'multilabel') {
    for (let i = 0; i < labels.mask.length; i++) {
      if (!labels.mask[i]) {
        missing++;
        continue;
      }
      for (let j = 0; j < classCount; j++) counts[j] += labels.targets[i * classCount + j];
    }
    return { counts, missing };
  }
  for (const c of labels.classIndex) {
    if (c < 0) missing++;
    else counts[c]++;
  }
  return { counts, missing };
}

/** A warning for labels that are not among the training classes, or undefined when there are none. */
export function unseenLabelWarning(task: Task, unseen: Map<string, number>, source: string): SchemaWarning | undefined {
  if (unseen.size === 0) return undefined;
  const total = [...unseen.values()].reduce((a, b) => a + b, 0);
  const examples = [...unseen].slice(0, 5).map(([v, n]) => `'${v}' (${n})`).join(', ');
  return {
    code: 'unseen-label',
    task: task.name,
    message:
      `task '${task.name}': ${total} rows of ${source} have labels that are not classes of the task (${examples}); ` +
      "the model was not trained on them and cannot predict them, so these rows are left out of the task's metrics",
  };
}
