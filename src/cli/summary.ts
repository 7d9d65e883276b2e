/** The per-task table printed after training: the model against the single-task baseline. */
import type { TrainReport } from '../pipeline/train-model.js';

const f = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));

export function formatComparison(r: TrainReport): string {
  const warn = r.warnings.length ? `\nWarnings:\n${r.warnings.map((w) => `  - ${w}`).join('\n')}` : '';
  if (!r.test) return `No test rows were evaluated${r.unit ? ` (best ${r.unit} ${r.bestEpoch} of ${r.epochs})` : ''}.${topFeatures(r)}${warn}\n`;
  const rows: string[][] = [['task', 'metric', r.arch, ...(r.singleTask ? [r.baselineArch ?? 'single-task', 'Δ %'] : [])]];
  for (const task of r.tasks) {
    const mine = r.test[task]!;
    const keys = 'hammingLoss' in mine ? ['hammingLoss', 'subsetAccuracy', 'microF1', 'macroF1'] : ['accuracy', 'macroF1', 'auc'];
    for (const k of keys) {
      const a = mine[k] ?? null;
      const b = r.singleTask?.[task]?.[k] ?? null;
      const lower = k === 'hammingLoss' || k === 'logLoss';
      const delta = a !== null && b !== null && b !== 0 ? ((lower ? b - a : a - b) / b) * 100 : null;
      rows.push([task, k + (r.mainMetric[task] === k ? ' *' : ''), f(a), ...(r.singleTask ? [f(b), delta === null ? '—' : `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`] : [])]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const table = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
  const over = r.baselineArch && r.baselineArch !== 'single-task' ? `single-task (${r.baselineArch})` : 'single-task';
  const dm = r.deltaM !== undefined ? `\nΔm over ${over} (main metrics, marked *): ${r.deltaM >= 0 ? '+' : ''}${r.deltaM.toFixed(2)}%` : '';
  return `\n${table}${dm}\nTraining: ${r.seconds.toFixed(1)}s${r.baselineSeconds !== undefined ? `, single-task baseline ${r.baselineSeconds.toFixed(1)}s` : ''}${r.unit ? `; best ${r.unit} ${r.bestEpoch} of ${r.epochs}` : ''}.${topFeatures(r)}${warn}\n`;
}

/** Trees: the features with the largest total split gain, per task. */
function topFeatures(r: TrainReport): string {
  if (!r.topFeatures) return '';
  const lines = Object.entries(r.topFeatures).map(([task, list]) => `  ${task}: ${list.map((f) => `${f.feature} (${f.gain.toPrecision(3)}, ${f.splits} splits)`).join(', ') || '—'}`);
  return `\nTop features by gain:\n${lines.join('\n')}`;
}
