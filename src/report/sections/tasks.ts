/**
 * One block of charts per task. Each chart is a small function that returns its figure, or ''
 * when the model or the data does not have what it draws.
 */
import { barChart } from '../charts/bars.js';
import { reliabilityChart, rocChart } from '../charts/curves.js';
import { heatmap } from '../charts/heatmap.js';
import { escapeHtml, figure, note, number, section } from '../html.js';
import type { ReportInput, ReportTask, TaskAnalysis } from '../input.js';
import { lowerIsBetter, metricLabel } from '../metric-names.js';
import { renderSvg } from '../svg.js';
import { learningCurveFigure } from './training.js';

type Chart = (input: ReportInput, task: ReportTask, t: number) => Promise<string>;

const MAX_BARS = 25;

const analysisOf = (input: ReportInput, task: ReportTask): TaskAnalysis | undefined => input.data?.tasks.find((a) => a.task === task.name);

const confusion: Chart = async (input, task) => {
  const matrix = input.fields.evaluation.find((e) => e.task === task.name)?.confusion;
  if (!matrix || matrix.length !== task.classes.length) return '';
  const share = matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total ? v / total : null));
  });
  const spec = heatmap({
    title: `${task.name}: confusion matrix`,
    rowTitle: 'true class',
    columnTitle: 'predicted class',
    rows: task.classes,
    columns: task.classes,
    color: share,
    colorTitle: 'share of true class',
    text: matrix.map((row) => row.map((v) => v.toLocaleString('en-US'))),
    domain: [0, 1],
  });
  return figure(await renderSvg(spec), `Rows of ${input.fields.evaluatedOn ?? 'the evaluation rows'}; counts in the cells, colour = share of the true class (recall on the diagonal).`);
};

const roc: Chart = async (input, task) => {
  const a = analysisOf(input, task);
  if (!a?.roc?.length) return '';
  return figure(await renderSvg(rocChart(`${task.name}: ROC curve (positive class ${task.classes[1] ?? ''})`, a.roc, a.auc ?? null)), `On ${input.data!.source}; the dashed diagonal is a random guess.`);
};

const reliability: Chart = async (input, task) => {
  const a = analysisOf(input, task);
  if (!a || a.calibration.rows === 0) return '';
  const what = task.type === 'binary' ? `predicted P(${task.classes[1] ?? 'class 1'})` : task.type === 'multiclass' ? 'top-class probability' : 'label probability (all labels)';
  const spec = reliabilityChart(`${task.name}: reliability (ECE ${number(a.calibration.ece, 3)})`, a.calibration.bins, what);
  return figure(await renderSvg(spec), `Ten equal-width bins of ${what}; a calibrated model lies on the diagonal. Point size = rows in the bin.`);
};

const labelF1: Chart = async (input, task) => {
  const a = analysisOf(input, task);
  if (!a?.labelF1) return '';
  const bars = task.classes.map((label, j) => ({ label: `${label} (${a.labelF1![j]!.support})`, value: a.labelF1![j]!.f1 })).sort((x, y) => y.value - x.value);
  return figure(await renderSvg(barChart(`${task.name}: F1 per label`, bars, 'F1', [0, 1])), 'Threshold 0.5; in brackets: rows where the label is on.');
};

const permutation: Chart = async (input, task, t) => {
  const imp = input.data?.importance;
  if (!imp) return '';
  const metric = imp.metrics[t]!;
  const bars = imp.drops.map((d) => ({ label: d.feature, value: d.drop[t]!, error: d.std[t]! })).sort((x, y) => y.value - x.value).slice(0, MAX_BARS);
  const spec = barChart(`${task.name}: permutation importance`, bars, `drop in ${metricLabel(metric)}${lowerIsBetter(metric) ? ' (rise of the loss)' : ''}`);
  return figure(await renderSvg(spec), `Each raw column shuffled ${imp.repeats}× on ${imp.rows.toLocaleString('en-US')} rows of ${input.data!.source} (seeded); bar = mean drop, line = ± one standard deviation.`);
};

const gain: Chart = async (input, task) => {
  const list = input.fields.gain?.[task.name];
  if (!list?.length) return '';
  const total = list.reduce((a, f) => a + f.gain, 0) || 1;
  const bars = list.map((f) => ({ label: f.feature, value: f.gain / total })).sort((x, y) => y.value - x.value).slice(0, MAX_BARS);
  return figure(await renderSvg(barChart(`${task.name}: tree gain importance`, bars, 'share of total split gain')), 'Gain of every split on the feature in the kept trees, as a share of the task\'s total.');
};

const CHARTS: Chart[] = [confusion, roc, reliability, labelF1, permutation, gain];

export async function taskSections(input: ReportInput): Promise<string[]> {
  return Promise.all(
    input.tasks.map(async (task, t) => {
      const figures = [await learningCurveFigure(input, task, t)];
      for (const chart of CHARTS) figures.push(await chart(input, task, t));
      const classes = task.type === 'multilabel' ? `labels ${task.classes.join(', ')}` : `${task.classes.length} classes`;
      const missing = input.data ? '' : note(input.dataNote ?? '');
      return section(`task-${t}`, `Task ${task.name}`, `<p class="note">${escapeHtml(`${task.type}, ${classes}`)}</p>${missing}<div class="charts">${figures.filter(Boolean).join('')}</div>`);
    }),
  );
}
