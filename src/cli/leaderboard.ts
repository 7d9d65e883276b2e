/**
 * The leaderboard a fused run prints: every member and fusion method, per task the main metric and
 * accuracy on the test rows, and the mean main metric on the fusion share and the test rows.
 */
import type { LeaderboardEntry } from '../pipeline/leaderboard.js';
import type { TrainReport } from '../pipeline/train-model.js';

const f = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));

/** Accuracy of a single-label task, subset accuracy of a multi-label one. */
const accuracyOf = (m: Record<string, number | null> | undefined): number | null | undefined => m?.accuracy ?? m?.subsetAccuracy;

export function formatLeaderboard(r: Pick<TrainReport, 'tasks' | 'leaderboard' | 'fusion'>): string {
  const board = r.leaderboard;
  if (!board) return '';
  const header = ['model', ...r.tasks.flatMap((t) => [`${t} ${board.mainMetric[t]}`, `${t} acc`]), 'mean valid', 'mean test', 'seconds'];
  const row = (e: LeaderboardEntry): string[] => [
    `${e.name}${e.chosen ? ' *' : ''}`,
    ...r.tasks.flatMap((t) => {
      const m = (e.test ?? e.valid).tasks[t];
      return [f(m?.[board.mainMetric[t]!]), f(accuracyOf(m))];
    }),
    f(e.valid.score),
    f(e.test?.score),
    e.seconds === undefined ? '' : e.seconds.toFixed(1),
  ];
  const rows = [header, ...board.entries.map(row)];
  const widths = header.map((_, c) => Math.max(...rows.map((cells) => cells[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const fitted = !r.fusion ? ''
    : r.fusion.on === 'validation rows' ? `one member, nothing to weigh: the identity fitted on ${r.fusion.rows} validation rows`
    : r.fusion.fittedOn === 'out-of-fold' ? `fusion fitted on the out-of-fold predictions of ${r.fusion.rows} training rows${r.fusion.bag ? ` (${r.fusion.bag} folds)` : ''}, each from fold models that never saw it`
    : `fusion fitted on ${r.fusion.rows} held-out rows no member was trained on`;
  return [
    `\nLeaderboard (${board.entries.some((e) => e.test) ? 'test rows' : 'fusion rows'}; mean: of the main metrics, losses negated; * saved; ${fitted}; a fusion's valid score is in-sample):`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    ...board.entries.filter((e) => e.methods).map((e) => `${e.name} chose per task, cross-validated on the fusion rows: ${Object.entries(e.methods!).map(([t, m]) => `${t} ${m}`).join(', ')}`),
    '',
  ].join('\n');
}
