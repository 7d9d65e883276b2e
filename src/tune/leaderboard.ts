/** The study's trials ranked by validation score (failed ones last), as a table or as data. */
import type { RungUnit } from './asha.js';
import type { Params } from './space.js';
import type { TrialRecord, TrialState } from './store.js';

export interface LeaderboardRow {
  rank: number;
  trial: number;
  state: TrialState;
  score: number | null;
  testScore: number | null;
  /** Epochs, or boosting rounds when `unit` is 'round'. */
  epochs: number;
  unit: RungUnit;
  seconds: number;
  params: Params;
  error?: string;
}

export function leaderboard(trials: TrialRecord[]): LeaderboardRow[] {
  const finished = trials.filter((t) => t.state !== 'running' && t.result);
  const score = (t: TrialRecord): number => t.result?.score ?? -Infinity;
  const ranked = [...finished].sort((a, b) => score(b) - score(a) || a.number - b.number);
  return ranked.map((t, i) => ({
    rank: i + 1,
    trial: t.number,
    state: t.state,
    score: t.result!.score,
    testScore: t.result!.testScore ?? null,
    epochs: t.result!.epochs,
    unit: t.result!.unit ?? 'epoch',
    seconds: t.result!.seconds,
    params: t.params,
    ...(t.result!.error ? { error: t.result!.error } : {}),
  }));
}

const num = (v: number | null, digits = 4): string => (v === null ? '—' : v.toFixed(digits));

export function formatValue(v: Params[string]): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(3);
  return Array.isArray(v) ? v.join('x') : v === null ? 'auto' : String(v);
}

export const formatParams = (p: Params): string => Object.entries(p).map(([k, v]) => `${k}=${formatValue(v)}`).join(' ');

export function formatLeaderboard(rows: LeaderboardRow[], top = 10): string {
  const cells = [['rank', 'trial', 'state', 'valid', 'test', 'trained', 'seconds', 'parameters']];
  for (const r of rows.slice(0, top)) {
    cells.push([String(r.rank), String(r.trial), r.state, num(r.score), num(r.testScore), `${r.epochs} ${r.unit}${r.epochs === 1 ? '' : 's'}`, r.seconds.toFixed(1), r.error ? `${formatParams(r.params)} (${r.error})` : formatParams(r.params)]);
  }
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === row.length - 1 ? cell : c === 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const more = rows.length > top ? `\n(${rows.length - top} more trials in --json and tune.json)` : '';
  return `${[line(cells[0]!), ...cells.slice(1).map(line)].join('\n')}${more}\n`;
}
