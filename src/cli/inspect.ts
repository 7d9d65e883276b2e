/**
 * `polyhead inspect DATA`: what polyhead makes of a table — each column's kind, missing share and
 * distinct values, the label balance of each task, and the warnings. `--json` prints one object.
 */
import type { Command } from 'commander';
import { columnStats } from '../data/columns.js';
import { inferSchema } from '../data/infer.js';
import { encodeLabels, labelCounts } from '../data/labels.js';
import { readTable } from '../data/read.js';
import { inferOptionsOf, readOptionsOf } from '../data/settings.js';
import type { ColumnKind, Schema } from '../data/schema.js';
import type { Table } from '../data/table.js';
import { addTableFlags, tableSettings, type TableFlags } from './table-flags.js';

interface InspectFlags extends TableFlags {
  tasks?: string;
  json?: boolean;
}

export interface InspectReport {
  source: string;
  format: string | undefined;
  rows: number;
  skippedLines: number[];
  columns: Array<{ name: string; storage: 'number' | 'string'; kind: ColumnKind; missingRate: number; distinct: number; reason?: string }>;
  tasks: Array<{ name: string; type: string; columns: string[]; missing: number; classes: Array<{ label: string; count: number; share: number }> }>;
  warnings: Schema['warnings'];
}

export function registerInspect(program: Command): void {
  const command = program
    .command('inspect')
    .description('show the schema polyhead infers for a table: kinds, missing values, label balance, warnings')
    .argument('<data>', 'table file (.csv .tsv .data .gz .parquet .jsonl .arff)')
    .option('--tasks <spec>', "tasks, e.g. 'income,relationship' or 'emotions=happy+sad' for a multi-label group")
    .option('--json', 'print one JSON object');
  addTableFlags(command).action(async (data: string, flags: InspectFlags) => {
      const report = await inspect(data, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
}

export async function inspect(path: string, flags: InspectFlags): Promise<InspectReport> {
  const settings = tableSettings(flags);
  const table = await readTable(path, readOptionsOf(settings));
  const schema = inferSchema(table, { ...inferOptionsOf(settings), ...(flags.tasks !== undefined ? { tasks: flags.tasks } : {}) });
  return buildReport(table, schema);
}

export function buildReport(table: Table, schema: Schema): InspectReport {
  const kindOf = new Map<string, { kind: ColumnKind; reason?: string }>();
  for (const f of schema.features) kindOf.set(f.name, { kind: f.kind });
  for (const e of schema.excluded) kindOf.set(e.name, { kind: e.kind, reason: e.reason });
  // A kind chosen against the look of the values says why on its line too, not only among the warnings.
  for (const w of schema.warnings) {
    const feature = w.code === 'leading-zeros' && w.column !== undefined ? kindOf.get(w.column) : undefined;
    if (feature && feature.reason === undefined) feature.reason = 'numbers with leading zeros: codes (see warnings)';
  }
  const columns = table.columns.map((column) => {
    const stats = columnStats(column);
    const { kind, reason } = kindOf.get(column.name) ?? { kind: 'ignored' as ColumnKind };
    return {
      name: column.name,
      storage: column.type,
      kind,
      missingRate: stats.rows ? stats.missing / stats.rows : 0,
      distinct: stats.distinct,
      ...(reason !== undefined ? { reason } : {}),
    };
  });
  const tasks = schema.tasks.map((task) => {
    const { labels } = encodeLabels(table, task);
    const { counts, missing } = labelCounts(labels, task.classes.length);
    const labelled = table.rowCount - missing;
    return {
      name: task.name,
      type: task.type,
      columns: task.columns,
      missing,
      classes: task.classes.map((label, i) => ({ label, count: counts[i], share: labelled ? counts[i] / labelled : 0 })),
    };
  });
  return {
    source: table.source,
    format: table.meta?.format,
    rows: table.rowCount,
    skippedLines: table.meta?.skippedLines ?? [],
    columns,
    tasks,
    warnings: schema.warnings,
  };
}

export function formatReport(report: InspectReport): string {
  const out: string[] = [];
  const skipped = report.skippedLines.length ? `; skipped line${report.skippedLines.length > 1 ? 's' : ''} ${report.skippedLines.join(', ')}` : '';
  out.push(`${report.source}: ${fmt(report.rows)} rows, ${report.columns.length} columns (${report.format ?? 'table'}${skipped})`, '');
  out.push(
    ...table(
      ['column', 'kind', 'missing', 'distinct', 'note'],
      report.columns.map((c) => [c.name, c.kind, `${(c.missingRate * 100).toFixed(1)}%`, fmt(c.distinct), c.reason ?? '']),
      [false, false, true, true, false],
    ),
  );
  for (const task of report.tasks) {
    const what = task.type === 'multilabel' ? 'positives per label' : `column ${task.columns[0]}`;
    out.push('', `task ${task.name} (${task.type}, ${what}${task.missing ? `, ${fmt(task.missing)} rows without label` : ''})`);
    out.push(...table([], task.classes.map((c) => [`  ${c.label}`, fmt(c.count), `${(c.share * 100).toFixed(1)}%`]), [false, true, true]));
  }
  if (report.warnings.length) {
    out.push('', 'warnings');
    for (const w of report.warnings) out.push(`  [${w.code}] ${w.message}`);
  }
  return `${out.join('\n')}\n`;
}

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const all = header.length ? [header, ...rows] : rows;
  const widths = right.map((_, j) => Math.max(0, ...all.map((r) => (r[j] ?? '').length)));
  return all.map((r) => r.map((cell, j) => (right[j] ? cell.padStart(widths[j]) : cell.padEnd(widths[j]))).join('  ').trimEnd());
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
