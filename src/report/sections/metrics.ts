/** Per task: the model's test metrics against the single-task baseline (Δ %), and the leaderboard of a fused model. */
import type { MetricValues } from '../fields.js';
import { escapeHtml, note, number, section, signed, table, type Cell } from '../html.js';
import type { ReportInput } from '../input.js';
import { lowerIsBetter, mainMetricName, metricLabel, metricsOf, relativeGain } from '../metric-names.js';

const gainCell = (gain: number | null): Cell => ({ value: gain === null ? '—' : `${signed(gain, 1)} %`, className: gain === null ? '' : gain >= 0 ? 'good' : 'bad' });

function comparisonTable(input: ReportInput, task: string, type: 'binary' | 'multiclass' | 'multilabel', values: MetricValues): string {
  const baseline = input.fields.singleTask?.[task];
  const main = mainMetricName(type, values, input.options.metric);
  const header: Cell[] = ['metric', input.arch, ...(baseline ? [input.fields.baselineArch ?? 'single-task', 'Δ %'] : [])];
  const rows = metricsOf(type)
    .filter((m) => m in values)
    .map((m): Cell[] => {
      const label = `${metricLabel(m)}${lowerIsBetter(m) ? ' ↓' : ''}${m === main ? ' ★' : ''}`;
      const mine: Cell = { value: number(values[m]), className: m === main ? 'main' : '' };
      return [label, mine, ...(baseline ? [number(baseline[m]), gainCell(relativeGain(m, values[m], baseline[m]))] : [])];
    });
  return table(header, rows);
}

export function metricsSection(input: ReportInput): string {
  const { evaluation, evaluatedOn, deltaM, singleTask } = input.fields;
  if (!evaluation.length) return section('metrics', 'Metrics', note('model.json records no evaluation (the model was trained without test or validation rows).'));
  const intro = [
    evaluatedOn ? note(`Evaluated on ${evaluatedOn}. ★ marks each task's main metric (the one Δm and early stopping use); ↓ marks losses (lower is better).`) : '',
    deltaM !== undefined ? `<p>Δm over ${escapeHtml(input.fields.baselineArch ?? 'single-task')} (mean relative gain of the main metrics): <span class="big ${deltaM >= 0 ? 'good' : 'bad'}">${escapeHtml(signed(deltaM))} %</span></p>` : '',
    !singleTask ? note('No single-task baseline was trained (one task, --no-baseline, or no evaluation rows), so there is no Δm.') : '',
  ].join('');
  const tasks = evaluation.map((e) => `<h3>${escapeHtml(e.task)} <span class="note">(${e.type})</span></h3>${comparisonTable(input, e.task, e.type, e.values)}`);
  return section('metrics', 'Metrics', intro + `<div class="charts">${tasks.map((t) => `<div>${t}</div>`).join('')}</div>`);
}

/** Every member and fusion method of a fused model, per task, best main metric first. */
export function leaderboardSection(input: ReportInput): string {
  const board = input.fields.leaderboard;
  if (!board?.length) return '';
  const blocks = input.tasks.map((task) => {
    const entries = board.filter((e) => e.metrics[task.name]);
    if (!entries.length) return '';
    const main = mainMetricName(task.type, entries[0]!.metrics[task.name]!, input.options.metric);
    const better = (a: number | null | undefined, b: number | null | undefined) => ((b ?? NaN) - (a ?? NaN)) * (lowerIsBetter(main) ? -1 : 1);
    const sorted = [...entries].sort((a, b) => better(a.metrics[task.name]![main], b.metrics[task.name]![main]) || a.name.localeCompare(b.name));
    const metrics = metricsOf(task.type).filter((m) => sorted.some((e) => m in e.metrics[task.name]!));
    const rows = sorted.map((e, rank): Cell[] => [
      `${rank + 1}. ${e.name}`,
      { value: e.kind ?? '', className: 'text' },
      ...metrics.map((m): Cell => ({ value: number(e.metrics[task.name]![m]), className: m === main ? 'main' : '' })),
      e.deltaM === undefined ? '—' : `${signed(e.deltaM)} %`,
    ]);
    const header: Cell[] = ['entry', { value: 'kind', className: 'text' }, ...metrics.map((m) => `${metricLabel(m)}${m === main ? ' ★' : ''}`), 'Δm'];
    return `<h3>${escapeHtml(task.name)}</h3>${table(header, rows)}`;
  });
  return section('leaderboard', 'Leaderboard', note('Every member and fusion method on the evaluation rows, ranked by the task\'s main metric (★).') + blocks.join(''));
}
