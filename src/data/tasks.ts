/**
 * Tasks: parsed from the CLI's `--tasks` value, or taken from the file's declared label columns, then
 * checked against the table (classes, type, single-class and rare-class warnings); a task's label is
 * never also a feature.
 */
import { DataError, OptionError } from '../errors.js';
import { getColumn } from './columns.js';
import { binaryLabel, sortClasses, valueCounts } from './labels.js';
import type { Schema, SchemaWarning, Task } from './schema.js';
import type { Table } from './table.js';

/** One task as the user names it: a column, or a named group of binary columns (multi-label). */
export interface TaskSpec {
  name: string;
  columns: string[];
}

/** Classes with fewer rows than this get a 'rare-class' warning. */
export const RARE_CLASS_ROWS = 10;

/**
 * `income,marital-status` → two tasks; `emotions=happy+sad+calm` → one multi-label task over three
 * columns; `target=col` names a single-column task differently from its column.
 */
export function parseTaskSpecs(spec: string): TaskSpec[] {
  const parts = spec.split(',').map((p) => p.trim());
  if (spec.trim() === '' || parts.some((p) => p === '')) {
    throw new OptionError('bad-tasks', `--tasks ${JSON.stringify(spec)} has an empty task name; expected e.g. 'income,relationship' or 'emotions=happy+sad'`);
  }
  const specs = parts.map((part): TaskSpec => {
    const eq = part.indexOf('=');
    if (eq < 0) return { name: part, columns: [part] };
    const name = part.slice(0, eq).trim();
    const columns = part.slice(eq + 1).split('+').map((c) => c.trim());
    if (name === '' || columns.some((c) => c === '')) {
      throw new OptionError('bad-tasks', `task '${part}' must read name=columnA+columnB (no empty names)`, { task: part });
    }
    return { name, columns };
  });
  checkSpecs(specs);
  return specs;
}

/** Task names are unique and no column serves two tasks. */
function checkSpecs(specs: TaskSpec[]): void {
  const names = new Set<string>();
  const used = new Map<string, string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new OptionError('bad-tasks', `task '${s.name}' is named twice`, { task: s.name });
    names.add(s.name);
    for (const c of s.columns) {
      const other = used.get(c);
      if (other !== undefined) {
        throw new OptionError('bad-tasks', `column '${c}' is used twice (by task '${other}' and task '${s.name}')`, { column: c });
      }
      used.set(c, s.name);
    }
  }
}

/** Without `--tasks`: the file's declared label columns (ARFF `-C`) as one multi-label task `labels`. */
export function defaultTaskSpecs(table: Table): TaskSpec[] {
  const labels = table.meta?.labelColumns;
  return labels && labels.length ? [{ name: 'labels', columns: [...labels] }] : [];
}

/** Checks each spec against the table and builds its Task (classes sorted) and warnings. */
export function resolveTasks(table: Table, specs: TaskSpec[]): { tasks: Task[]; warnings: SchemaWarning[] } {
  checkSpecs(specs);
  const tasks: Task[] = [];
  const warnings: SchemaWarning[] = [];
  for (const spec of specs) {
    const built = spec.columns.length > 1 ? multilabelTask(table, spec) : singleTask(table, spec);
    tasks.push(built.task);
    warnings.push(...built.warnings);
  }
  return { tasks, warnings };
}

function noLabels(table: Table, spec: TaskSpec, column: string): DataError {
  return new DataError(
    'no-labels',
    `task '${spec.name}' has no labels: all ${table.rowCount} values are missing`,
    { file: table.source, column },
    { task: spec.name },
  );
}

function singleTask(table: Table, spec: TaskSpec): { task: Task; warnings: SchemaWarning[] } {
  const name = spec.columns[0];
  const column = getColumn(table, name, `the label of task '${spec.name}'`);
  const { counts } = valueCounts(column);
  if (counts.size === 0) throw noLabels(table, spec, name);
  const classes = sortClasses(counts.keys());
  const task: Task = { name: spec.name, type: classes.length > 2 ? 'multiclass' : 'binary', columns: [name], classes };
  const warnings: SchemaWarning[] = [];
  if (classes.length === 1) {
    warnings.push({
      code: 'single-class',
      task: spec.name,
      column: name,
      message: `task '${spec.name}' has a single class ('${classes[0]}' in all ${counts.get(classes[0])} labelled rows): nothing to learn`,
    });
  }
  const rare = classes.filter((c) => (counts.get(c) ?? 0) < RARE_CLASS_ROWS);
  if (rare.length && classes.length > 1) {
    warnings.push({
      code: 'rare-class',
      task: spec.name,
      column: name,
      message:
        `task '${spec.name}': ${rare.length} of ${classes.length} classes have fewer than ${RARE_CLASS_ROWS} rows: ` +
        rare.slice(0, 10).map((c) => `'${c}' (${counts.get(c)})`).join(', ') +
        '; their metrics will be noisy and a split may leave them out of validation',
    });
  }
  return { task, warnings };
}

function multilabelTask(table: Table, spec: TaskSpec): { task: Task; warnings: SchemaWarning[] } {
  const warnings: SchemaWarning[] = [];
  for (const name of spec.columns) {
    const column = getColumn(table, name, `a label of task '${spec.name}'`);
    const { counts } = valueCounts(column);
    if (counts.size === 0) throw noLabels(table, spec, name);
    let positive = 0;
    for (const [value, n] of counts) {
      const bit = binaryLabel(value);
      if (bit === undefined) {
        throw new DataError(
          'not-binary',
          `a label of multi-label task '${spec.name}' holds '${value}' (${n} rows); ` +
            'multi-label columns must hold 0/1, true/false or yes/no',
          { file: table.source, column: name },
          { task: spec.name, value },
        );
      }
      positive += bit * n;
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (positive === 0 || positive === total) {
      warnings.push({
        code: 'single-class',
        task: spec.name,
        column: name,
        message: `label '${name}' of task '${spec.name}' is ${positive === 0 ? 'never' : 'always'} set (${total} labelled rows)`,
      });
    } else if (positive < RARE_CLASS_ROWS) {
      warnings.push({
        code: 'rare-class',
        task: spec.name,
        column: name,
        message: `label '${name}' of task '${spec.name}' is set in only ${positive} of ${total} rows`,
      });
    }
  }
  const task: Task = { name: spec.name, type: 'multilabel', columns: [...spec.columns], classes: [...spec.columns] };
  return { task, warnings };
}

/**
 * A label is not a feature. `--kinds` may not declare a task's column, nor may the split column be
 * one. A file's declared label columns (ARFF `-C`) that are not tasks of the run would be features
 * the model cannot have when it predicts, so they are refused unless given a kind on purpose.
 */
export function checkLabelsAreNotFeatures(
  table: Table,
  schema: Schema,
  settings: { kinds?: Record<string, string>; splitColumn?: string },
): void {
  const taskOf = new Map(schema.tasks.flatMap((t) => t.columns.map((c) => [c, t.name] as const)));
  const kinds = settings.kinds ?? {};
  for (const [column, kind] of Object.entries(kinds)) {
    const task = taskOf.get(column);
    if (task === undefined) continue;
    throw new OptionError(
      'label-as-feature',
      `--kinds declares column '${column}' ${kind}, but it is the label of task '${task}' and a label cannot also be a feature; ` +
        `remove '${column}' from --kinds or from --tasks`,
      { column, task },
    );
  }
  const split = settings.splitColumn;
  if (split !== undefined && taskOf.has(split)) {
    throw new OptionError(
      'label-as-split',
      `--split-column '${split}' is the label of task '${taskOf.get(split)}'; the split column must be a column of its own`,
      { column: split, task: taskOf.get(split) },
    );
  }
  const declared = new Set(table.meta?.labelColumns ?? []);
  const leaked = schema.features.filter((f) => declared.has(f.name) && kinds[f.name] === undefined).map((f) => f.name);
  if (leaked.length === 0) return;
  const many = leaked.length > 1;
  const them = many ? 'them' : 'it';
  const first = schema.features.find((f) => f.name === leaked[0])!;
  throw new DataError(
    'label-as-feature',
    `the file declares ${leaked.map((n) => `'${n}'`).join(', ')} as label${many ? 's' : ''} but --tasks does not name ${them}, ` +
      `so ${many ? 'they' : 'it'} would be features, which are not known when predicting; add ${them} to --tasks or --ignore, ` +
      `or declare a kind (--kinds ${first.name}=${first.kind}) to use ${them} as features on purpose`,
    { file: table.source },
    { columns: leaked },
  );
}
