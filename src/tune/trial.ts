/**
 * One trial: trainModel with the trial's parameters over the shared options, its epochs (networks)
 * or boosting rounds (trees) watched for the rungs of successive halving and for the study's time
 * limit. A trial stopped at a rung ends as 'pruned', one stopped by the time limit as 'cut', each with
 * the best score it reached; a training failure (a diverging loss) or parameters the trainer refuses
 * together end it as 'failed', and the study goes on.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError, TrainingError } from '../errors.js';
import type { TrainOptions } from '../train/options.js';
import { stopsAtRung, type Halving, type RungUnit } from './asha.js';
import { toTrainOptions } from './space.js';
import type { RungRecord, StudyStore, TrialRecord, TrialResult, TrialState } from './store.js';
import { trainModel, type TrainModelEvent, type TrainReport } from './trainer.js';

export interface TrialSetup {
  data: string;
  /** Folder for the trials' scratch model folders and checkpoints. */
  dir: string;
  base: TrainOptions;
  store: StudyStore;
  halving: Halving | null;
  /** The rung epochs and rung rounds (empty without halving). */
  rungs: Record<RungUnit, number[]>;
  /** Epoch milliseconds at which the study's time is up and a running trial is cut (null: never). */
  deadline: number | null;
  onEvent?: (trial: TrialRecord, e: TrainModelEvent) => void;
}

export interface TrialOutcome {
  state: Exclude<TrialState, 'running'>;
  result: TrialResult;
}

const LOWER_IS_BETTER = new Set(['logLoss', 'hammingLoss']);

/**
 * Boosting runs synchronously and takes no signal: throwing this from its round callback is how a
 * tree trial ends at a rung or at the deadline (there is no model then, only the scores reached).
 */
class BoostingStopped extends Error {}

/** The test rows' mean of the tasks' main metrics, for the leaderboard only. */
function testScore(r: TrainReport): number | null {
  if (!r.test) return null;
  const values = r.tasks.map((t) => {
    const metric = r.mainMetric[t]!;
    const v = r.test![t]?.[metric];
    return v === null || v === undefined ? NaN : LOWER_IS_BETTER.has(metric) ? -v : v;
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Number.isFinite(mean) ? mean : null;
}

/** The validation score an event carries, at which epoch or round. */
function progress(e: TrainModelEvent): { unit: RungUnit; at: number; score: number } | null {
  const x = e as { event: string; epoch?: number; round?: number; score?: number | null; validScore?: number };
  if (x.event === 'epoch' && typeof x.score === 'number') return { unit: 'epoch', at: x.epoch!, score: x.score };
  if (x.event === 'round' && typeof x.validScore === 'number') return { unit: 'round', at: x.round!, score: x.validScore };
  return null;
}

const rungKey = (unit: RungUnit, at: number): string => `${unit} ${at}`;

/** Rung scores of the other trials, by rung; refreshed from the store as the trial goes. */
function rungTable(rungs: RungRecord[], self: number): Map<string, Map<number, number>> {
  const table = new Map<string, Map<number, number>>();
  for (const r of rungs) {
    const key = rungKey(r.unit, r.at);
    if (r.trial !== self) table.set(key, (table.get(key) ?? new Map()).set(r.trial, r.score));
  }
  return table;
}

/**
 * A re-claimed trial (its run was killed) starts over rather than from its checkpoint: with the
 * same seed it retraces the same epochs, so its scores and its rung decisions are the ones an
 * uninterrupted run would have had. A network stopped at a rung or at the deadline ends after the
 * epoch it is in (the trainer's AbortSignal) and is still evaluated on the test rows.
 */
export async function runTrial(s: TrialSetup, trial: TrialRecord): Promise<TrialOutcome> {
  const others = rungTable(await s.store.rungs(), trial.number);
  const controller = new AbortController();
  let stopped: 'pruned' | 'cut' | null = null;
  const stop = (why: 'pruned' | 'cut'): void => {
    stopped ??= why;
    controller.abort();
  };
  const errors: unknown[] = [];
  const pending: Promise<unknown>[] = [];
  const background = (p: Promise<unknown>): void => void pending.push(p.catch((err: unknown) => errors.push(err)));
  const rungs = { epoch: new Set(s.halving ? s.rungs.epoch : []), round: new Set(s.halving ? s.rungs.round : []) };
  let best = -Infinity;
  let bestAt = 0;
  let last = { unit: 'epoch' as RungUnit, at: 0 };

  const onEvent = (e: TrainModelEvent): void => {
    s.onEvent?.(trial, e);
    const step = progress(e);
    if (!step) return;
    if (step.score > best) (best = step.score), (bestAt = step.at);
    last = step;
    if (s.deadline !== null && Date.now() >= s.deadline) stop('cut');
    if (s.halving && rungs[step.unit].has(step.at) && !controller.signal.aborted) {
      const stopHere = stopsAtRung(best, [...(others.get(rungKey(step.unit, step.at))?.values() ?? [])], s.halving.eta);
      background(s.store.report({ trial: trial.number, unit: step.unit, at: step.at, score: best, stop: stopHere }));
      // Other workers' arrivals since this trial started count for its later rungs.
      background(s.store.rungs().then((all) => rungTable(all, trial.number).forEach((m, key) => others.set(key, m))));
      if (stopHere) stop('pruned');
    }
    if (step.unit === 'round' && stopped) throw new BoostingStopped();
  };

  const stopKeepAlive = await s.store.keepAlive(trial.number);
  const cutTimer = s.deadline === null ? null : setTimeout(() => stop('cut'), Math.max(0, s.deadline - Date.now()));
  const out = join(s.dir, `trial-${trial.number}`);
  const started = performance.now();
  const reached = (): TrialResult => ({ score: Number.isFinite(best) ? best : null, epochs: last.at, bestEpoch: bestAt, seconds: (performance.now() - started) / 1000, ...(last.unit === 'round' ? { unit: 'round' as const } : {}) });
  let outcome: TrialOutcome;
  try {
    const options = { ...s.base, ...toTrainOptions(trial.params), baseline: false };
    const report = await trainModel(s.data, out, options, { onEvent, signal: controller.signal });
    const result: TrialResult = { ...reached(), epochs: report.epochs ?? 0, bestEpoch: report.bestEpoch ?? 0, seconds: report.seconds, testScore: testScore(report), ...(report.unit === 'round' ? { unit: 'round' as const } : {}) };
    outcome = stopped ? { state: stopped, result } : result.score === null
      ? { state: 'failed', result: { ...result, error: 'no validation score: the trial had no validation rows (raise --valid-fraction)' } }
      : { state: 'complete', result };
  } catch (err) {
    if (err instanceof BoostingStopped) outcome = { state: stopped!, result: reached() };
    // The shared options and the data were checked before the study: an option error here comes from this trial's parameters.
    else if (err instanceof TrainingError || err instanceof OptionError) outcome = { state: 'failed', result: { ...reached(), score: null, bestEpoch: 0, error: err.message } };
    else throw err;
  } finally {
    await stopKeepAlive();
    if (cutTimer) clearTimeout(cutTimer);
    await rm(out, { recursive: true, force: true });
  }
  await Promise.all(pending);
  if (errors.length) throw errors[0];
  return outcome;
}
