/** How training went: learning curves (per task for networks, per round for trees) and the task-affinity matrix. */
import { learningCurves, type CurvePoint } from '../charts/curves.js';
import { heatmap } from '../charts/heatmap.js';
import { escapeHtml, figure, note, number, section } from '../html.js';
import type { ReportInput, ReportTask } from '../input.js';
import { metricLabel } from '../metric-names.js';
import { renderSvg } from '../svg.js';

const finite = (points: Array<{ x: number; y: number | null | undefined }>): CurvePoint[] => points.filter((p): p is CurvePoint => typeof p.y === 'number' && Number.isFinite(p.y));

/** A network's per-epoch training loss and validation metric of one task. */
export async function learningCurveFigure(input: ReportInput, task: ReportTask, t: number): Promise<string> {
  const epochs = input.fields.epochs;
  if (!epochs?.length) return '';
  const loss = finite(epochs.map((e) => ({ x: e.epoch, y: e.trainLoss[t] })));
  const valid = finite(epochs.map((e) => ({ x: e.epoch, y: e.valid?.[task.name]?.value })));
  const metric = epochs.find((e) => e.valid?.[task.name])?.valid?.[task.name]?.metric;
  if (!loss.length && !valid.length) return '';
  const spec = learningCurves(`${task.name}: learning curves`, 'epoch', loss, valid, `validation ${metricLabel(metric ?? 'metric')}`, input.fields.best);
  return figure(await renderSvg(spec), `Mean training loss per epoch and the validation metric early stopping watched; the dashed line marks the best epoch (${input.fields.best ?? '—'}), whose weights were kept.`);
}

/** Boosting rounds: training loss, and the validation score when there were validation rows. */
async function roundsFigure(input: ReportInput): Promise<string> {
  const rounds = input.fields.rounds;
  if (!rounds?.length) return '';
  const loss = finite(rounds.map((r) => ({ x: r.round, y: r.trainLoss })));
  const valid = finite(rounds.map((r) => ({ x: r.round, y: r.validScore })));
  const spec = learningCurves('trees: learning curves', 'round', loss, valid, 'validation score', input.fields.best);
  return figure(await renderSvg(spec), `Training loss and mean validation score per boosting round; the dashed line marks the round the ensemble was cut at (${input.fields.best ?? '—'}).`);
}

async function affinityFigure(input: ReportInput): Promise<string> {
  const matrix = input.fields.affinity;
  const names = input.tasks.map((t) => t.name);
  if (!matrix || matrix.length !== names.length || matrix.some((row) => row.length !== names.length)) return '';
  const spec = heatmap({
    title: 'task affinity',
    rowTitle: 'task',
    columnTitle: 'task',
    rows: names,
    columns: names,
    color: matrix,
    colorTitle: 'gradient cosine',
    text: matrix.map((row) => row.map((v) => (v === null ? '' : number(v, 2)))),
    domain: [-1, 1],
  });
  return figure(await renderSvg(spec), 'Mean cosine between the tasks\' gradients over training: positive = the tasks pull the shared weights the same way, negative = they conflict.');
}

export async function trainingSection(input: ReportInput): Promise<string> {
  const figures = [await roundsFigure(input), await affinityFigure(input)].filter(Boolean);
  const epochs = input.fields.epochs;
  const summary = epochs?.length
    ? note(`${epochs.length} epoch${epochs.length > 1 ? 's' : ''}, best epoch ${input.fields.best ?? '—'}; each task's learning curves are in its section.`)
    : '';
  if (!figures.length && !summary) return '';
  return section('training', 'Training', summary + (figures.length ? `<div class="charts">${figures.join('')}</div>` : '') + optionsTable(input));
}

const SHOWN_OPTIONS = ['arch', 'hidden', 'epochs', 'patience', 'batchSize', 'lr', 'optimizer', 'schedule', 'weighting', 'dropout', 'seed', 'test'];

function optionsTable(input: ReportInput): string {
  const shown = SHOWN_OPTIONS.filter((k) => input.options[k] !== undefined).map((k) => `<tr><td>${escapeHtml(k)}</td><td class="text">${escapeHtml(JSON.stringify(input.options[k]))}</td></tr>`);
  return shown.length ? `<h3>Options</h3><table><tbody>${shown.join('')}</tbody></table>` : '';
}
