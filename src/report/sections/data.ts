/** The data as `inspect` shows it: each column's kind and missing share, the label balance per task, the warnings. */
import { z } from 'zod';
import { escapeHtml, note, section, table, type Cell } from '../html.js';
import type { ReportInput, ReportTask } from '../input.js';

const schemaView = z.object({
  features: z.array(z.object({ name: z.string(), kind: z.string(), missingRate: z.number() })).default([]),
  excluded: z.array(z.object({ name: z.string(), kind: z.string(), reason: z.string() })).default([]),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).default([]),
});

const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

function columnsTable(schema: z.infer<typeof schemaView>): string {
  const rows: Cell[][] = [
    ...schema.features.map((f): Cell[] => [f.name, { value: f.kind, className: 'text' }, percent(f.missingRate), { value: 'feature', className: 'text' }]),
    ...schema.excluded.map((e): Cell[] => [e.name, { value: e.kind, className: 'text' }, '', { value: e.reason, className: 'text' }]),
  ];
  return table(['column', { value: 'kind', className: 'text' }, 'missing', { value: 'use', className: 'text' }], rows);
}

/** Label counts from the report's data, else from the confusion matrix rows (true classes of the evaluation rows). */
function balance(input: ReportInput, task: ReportTask, t: number): { counts: number[]; missing?: number; source: string } | undefined {
  const analysed = input.data?.tasks[t];
  if (analysed) return { counts: analysed.labelCounts.counts, missing: analysed.labelCounts.missing, source: input.data!.source };
  const confusion = input.fields.evaluation.find((e) => e.task === task.name)?.confusion;
  if (confusion?.length === task.classes.length) return { counts: confusion.map((row) => row.reduce((a, b) => a + b, 0)), source: input.fields.evaluatedOn ?? 'the evaluation rows' };
  return undefined;
}

function balanceTable(input: ReportInput, task: ReportTask, t: number): string {
  const b = balance(input, task, t);
  if (!b) return '';
  const labelled = task.type === 'multilabel' ? (input.data?.rows ?? 0) - (b.missing ?? 0) : b.counts.reduce((a, c) => a + c, 0);
  const rows = task.classes.map((label, i): Cell[] => [label, b.counts[i]!.toLocaleString('en-US'), labelled ? percent(b.counts[i]! / labelled) : '—']);
  const what = task.type === 'multilabel' ? 'rows where each label is on' : 'rows per class';
  const missing = b.missing ? `, ${b.missing.toLocaleString('en-US')} rows without a label` : '';
  return `<div><h3>${escapeHtml(task.name)}</h3>${note(`${what} in ${b.source}${missing}`)}${table([task.type === 'multilabel' ? 'label' : 'class', 'rows', 'share'], rows)}</div>`;
}

export function dataSection(input: ReportInput): string {
  const parsed = schemaView.safeParse(input.schema);
  if (!parsed.success) return section('data', 'Data', note('model.json holds no readable schema.'));
  const schema = parsed.data;
  const warnings = schema.warnings.length
    ? `<h3>Warnings</h3><ul>${schema.warnings.map((w) => `<li class="warning">[${escapeHtml(w.code)}] ${escapeHtml(w.message)}</li>`).join('')}</ul>`
    : note('No warnings when the schema was inferred.');
  const balances = input.tasks.map((task, t) => balanceTable(input, task, t)).join('');
  return section(
    'data',
    'Data',
    note('The schema inferred from the training table (as polyhead inspect shows it): missing shares are of the training rows.') +
      `<div class="charts"><div><h3>Columns</h3>${columnsTable(schema)}</div><div><h3>Label balance</h3><div class="charts">${balances}</div></div></div>` +
      warnings,
  );
}
