/**
 * `polyhead inspect DATA`: what polyhead makes of a table — each column's kind, missing share and
 * distinct values, the label balance of each task, and the warnings. `--json` prints one object.
 */
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { columnStats } from '../data/columns.js';
import { inferSchema } from '../data/infer.js';
import { encodeLabels, labelCounts } from '../data/labels.js';
import { readTable, type ReadOptions } from '../data/read.js';
import type { ColumnKind, Schema } from '../data/schema.js';
import type { Table } from '../data/table.js';

interface InspectFlags {
  tasks?: string;
  columns?: string;
  ignore?: string;
  kinds?: string;
  missing?: string;
  delimiter?: string;
  header?: boolean;
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
  program
    .command('inspect')
    .description('show the schema polyhead infers for a table: kinds, missing values, label balance, warnings')
    .argument('<data>', 'table file (.csv .tsv .data .gz .parquet .jsonl .arff)')
    .option('--tasks <spec>', "tasks, e.g. 'income,relationship' or 'emotions=happy+sad' for a multi-label group")
    .option('--columns <names>', 'comma-separated column names, for files without a header')
    .option('--ignore <names>', 'comma-separated columns that are not features')
    .option('--kinds <list>', "declared kinds, e.g. 'zip=categorical,age=numeric'")
    .option('--missing <tokens>', 'comma-separated texts read as missing values (besides NA, N/A, null, ?, NaN and empty)')
    .option('--delimiter <char>', 'field delimiter of a text file (default: sniffed)')
    .option('--header', 'the first line of a text file names the columns')
    .option('--no-header', 'the first line of a text file is data')
    .option('--json', 'print one JSON object')
    .action(async (data: string, flags: InspectFlags) => {
      const report = await inspect(data, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
}

export async function inspect(path: string, flags: InspectFlags): Promise<InspectReport> {
  const read: ReadOptions = {};
  if (flags.columns !== undefined) read.columns = list(flags.columns);
  if (flags.missing !== undefined) read.missingTokens = list(flags.missing);
  if (flags.delimiter !== undefined) read.delimiter = flags.delimiter === '\\t' ? '\t' : flags.delimiter;
  if (flags.header !== undefined) read.header = flags.header;
  const table = await readTable(path, read);
  const schema = inferSchema(table, {
    ...(flags.tasks !== undefined ? { tasks: flags.tasks } : {}),
    ...(flags.ignore !== undefined ? { ignore: list(flags.ignore) } : {}),
    ...(flags.kinds !== undefined ? { kinds: parseKinds(flags.kinds) } : {}),
  });
  return buildReport(table, schema);
}

export function buildReport(table: Table, schema: Schema): InspectReport {
  const kindOf = new Map<string, { kind: ColumnKind; reason?: string }>();
  for (const f of schema.features) kindOf.set(f.name, { kind: f.kind });
  for (const e of schema.excluded) kindOf.set(e.name, { kind: e.kind, reason: e.reason });
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

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseKinds(text: string): Record<string, ColumnKind> {
  const kinds: Record<string, ColumnKind> = {};
  for (const part of list(text)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new OptionError('bad-kinds', `--kinds entry '${part}' must read column=kind`, { entry: part });
    kinds[part.slice(0, eq).trim()] = part.slice(eq + 1).trim() as ColumnKind;
  }
  return kinds;
}
