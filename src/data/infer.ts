/**
 * `inferSchema`: every column's kind (or why it is not a feature), the tasks with their sorted
 * classes, and warnings with figures (leakage, rare or single classes, many missing values,
 * non-numeric values in a numeric column).
 */
import { DataError, OptionError } from '../errors.js';
import { columnStats, listNames } from './columns.js';
import { forcedNumericWarning, inferKind, NON_NUMERIC_TOLERANCE, type KindDecision } from './kinds.js';
import { leakageWarnings } from './leakage.js';
import type { ColumnKind, ExcludedColumn, FeatureColumn, FeatureKind, Schema, SchemaWarning } from './schema.js';
import type { Table } from './table.js';
import { defaultTaskSpecs, parseTaskSpecs, resolveTasks, type TaskSpec } from './tasks.js';

export interface InferOptions {
  /** Tasks as specs or as the CLI's `--tasks` text; absent or empty: the file's declared label columns. */
  tasks?: TaskSpec[] | string;
  /** Columns never used as features. */
  ignore?: string[];
  /** Kinds the user declares, overriding inference. */
  kinds?: Record<string, ColumnKind>;
  /** Texts counted as missing on top of what the reader marked (case-insensitive). */
  missingTokens?: string[];
  /** Share of non-numeric values a mostly-numeric column may have before it is an error (default 0.001). */
  nonNumericTolerance?: number;
}

const FEATURE_KINDS: readonly FeatureKind[] = ['numeric', 'categorical', 'boolean', 'text', 'datetime', 'image'];
const DECLARABLE: readonly ColumnKind[] = [...FEATURE_KINDS, 'identifier', 'constant', 'ignored', 'empty'];
/** Features missing in at least this share of rows get a 'high-missing' warning. */
export const HIGH_MISSING = 0.5;

export function inferSchema(table: Table, options: InferOptions = {}): Schema {
  const specs = typeof options.tasks === 'string' ? parseTaskSpecs(options.tasks) : (options.tasks ?? []);
  const { tasks, warnings } = resolveTasks(table, specs.length ? specs : defaultTaskSpecs(table));
  const taskOf = new Map<string, string>();
  for (const task of tasks) for (const c of task.columns) taskOf.set(c, task.name);
  const ignore = new Set(options.ignore ?? []);
  const kinds = options.kinds ?? {};
  checkNames(table, [...ignore], 'ignored');
  checkNames(table, Object.keys(kinds), 'given a kind');
  for (const [name, kind] of Object.entries(kinds)) {
    if (!DECLARABLE.includes(kind)) {
      throw new OptionError('bad-kind', `kind '${kind}' for column '${name}' is not allowed; allowed: ${DECLARABLE.join(', ')}`, { column: name, kind });
    }
  }

  const features: FeatureColumn[] = [];
  const excluded: ExcludedColumn[] = [];
  for (const column of table.columns) {
    const { name } = column;
    const task = taskOf.get(name);
    if (task !== undefined) {
      excluded.push({ name, kind: 'task', reason: `label of task '${task}'` });
      continue;
    }
    if (ignore.has(name)) {
      excluded.push({ name, kind: 'ignored', reason: 'ignored as asked' });
      continue;
    }
    const stats = columnStats(column, { extraMissing: options.missingTokens ?? [], exactDistinct: false });
    let decision: KindDecision;
    const declared = kinds[name];
    if (declared !== undefined) {
      const warning = declared === 'numeric' ? forcedNumericWarning(table, column, stats) : undefined;
      decision = { kind: declared, reason: `declared ${declared}`, ...(warning ? { warning } : {}) };
    } else {
      decision = inferKind(table, column, stats, options.nonNumericTolerance ?? NON_NUMERIC_TOLERANCE);
    }
    if (decision.warning) warnings.push(decision.warning);
    const missingRate = stats.rows ? stats.missing / stats.rows : 0;
    if (isFeatureKind(decision.kind)) {
      features.push({ name, kind: decision.kind, missingRate });
      if (missingRate >= HIGH_MISSING) {
        warnings.push({
          code: 'high-missing',
          column: name,
          message: `column '${name}' is missing in ${(missingRate * 100).toFixed(1)}% of rows (${stats.missing} of ${stats.rows})`,
        });
      }
    } else {
      excluded.push({ name, kind: decision.kind as Exclude<ColumnKind, FeatureKind>, reason: decision.reason ?? decision.kind });
    }
  }
  warnings.push(...leakageWarnings(table, features, tasks));
  return { features, excluded, tasks, warnings: sortWarnings(warnings) };
}

function isFeatureKind(kind: ColumnKind): kind is FeatureKind {
  return (FEATURE_KINDS as readonly string[]).includes(kind);
}

function checkNames(table: Table, names: string[], role: string): void {
  const available = table.columns.map((c) => c.name);
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length === 0) return;
  throw new DataError(
    'unknown-column',
    `column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} ${role} but not in the table; available columns: ${listNames(available)}`,
    { file: table.source },
    { unknown, available },
  );
}

/** Task warnings first, then column warnings, each in table order (stable sort keeps it). */
function sortWarnings(warnings: SchemaWarning[]): SchemaWarning[] {
  const rank = (w: SchemaWarning): number => (w.code === 'leakage' ? 0 : w.task !== undefined ? 1 : 2);
  return warnings.map((w, i) => [w, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map((p) => p[0]);
}
