/**
 * One trial: trainModel with the trial's parameters over the shared options, its epochs watched for
 * the rungs of successive halving. A trial stopped at a rung ends as 'pruned' with the best score it
 * reached; a training failure (a diverging loss) or parameters the trainer refuses together end it
 * as 'failed', and the study goes on.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError, TrainingError } from '../errors.js';
import type { TrainOptions } from '../train/options.js';
import { stopsAtRung, type Halving } from './asha.js';
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
  rungs: number[];
  onEvent?: (trial: TrialRecord, e: TrainModelEvent) => void;
}

export interface TrialOutcome {
  state: Exclude<TrialState, 'running'>;
  result: TrialResult;
}

const HEARTBEAT_MS = 30_000;
const LOWER_IS_BETTER = new Set(['logLoss', 'hammingLoss']);

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

/**
 * The validation score an event carries, and the epoch when it is a network's (rungs count epochs;
 * boosted trees report rounds, scored the same way, and are not stopped at rungs).
 */
function progress(e: TrainModelEvent): { epoch: number | null; score: number } | null {
  const x = e as { event: string; epoch?: number; score?: number | null; validScore?: number };
  if (x.event === 'epoch' && typeof x.score === 'number') return { epoch: x.epoch!, score: x.score };
  if (x.event === 'round' && typeof x.validScore === 'number') return { epoch: null, score: x.validScore };
  return null;
}

/** Rung scores of the other trials, by rung epoch; refreshed from the store as the trial goes. */
function rungTable(rungs: RungRecord[], self: number): Map<number, Map<number, number>> {
  const table = new Map<number, Map<number, number>>();
  for (const r of rungs) if (r.trial !== self) table.set(r.epoch, (table.get(r.epoch) ?? new Map()).set(r.trial, r.score));
  return table;
}

/**
 * A re-claimed trial (its run was killed) starts over rather than from its checkpoint: with the
 * same seed it retraces the same epochs, so its scores and its rung decisions are the ones an
 * uninterrupted run would have had.
 */
export async function runTrial(s: TrialSetup, trial: TrialRecord): Promise<TrialOutcome> {
  const others = rungTable(await s.store.rungs(), trial.number);
  const controller = new AbortController();
  const errors: unknown[] = [];
  const pending: Promise<unknown>[] = [];
  const background = (p: Promise<unknown>): void => void pending.push(p.catch((err: unknown) => errors.push(err)));
  const rungs = new Set(s.halving ? s.rungs : []);
  let best = -Infinity;
  let lastEpoch = 0;

  const onEvent = (e: TrainModelEvent): void => {
    s.onEvent?.(trial, e);
    const step = progress(e);
    if (!step) return;
    best = Math.max(best, step.score);
    if (step.epoch === null) return;
    const epoch = (lastEpoch = step.epoch);
    if (!s.halving || !rungs.has(epoch) || controller.signal.aborted) return;
    const stop = stopsAtRung(best, [...(others.get(epoch)?.values() ?? [])], s.halving.eta);
    background(s.store.report({ trial: trial.number, epoch, score: best, stop }));
    // Other workers' arrivals since this trial started count for its later rungs.
    background(s.store.rungs().then((all) => rungTable(all, trial.number).forEach((m, epoch) => others.set(epoch, m))));
    if (stop) controller.abort();
  };

  const heartbeat = setInterval(() => background(s.store.heartbeat(trial.number)), HEARTBEAT_MS);
  heartbeat.unref();
  const out = join(s.dir, `trial-${trial.number}`);
  const started = performance.now();
  let outcome: TrialOutcome;
  try {
    const options = { ...s.base, ...toTrainOptions(trial.params), baseline: false };
    const report = await trainModel(s.data, out, options, { onEvent, signal: controller.signal });
    const score = Number.isFinite(best) ? best : null;
    const result: TrialResult = { score, epochs: report.epochs ?? 0, bestEpoch: report.bestEpoch ?? 0, seconds: report.seconds, testScore: testScore(report) };
    outcome = score === null
      ? { state: 'failed', result: { ...result, error: 'no validation score: the trial had no validation rows (raise --valid-fraction)' } }
      : { state: controller.signal.aborted ? 'pruned' : 'complete', result };
  } catch (err) {
    // The shared options and the data were checked before the study: an option error here comes from this trial's parameters.
    if (!(err instanceof TrainingError || err instanceof OptionError)) throw err;
    outcome = { state: 'failed', result: { score: null, epochs: lastEpoch, bestEpoch: 0, seconds: (performance.now() - started) / 1000, error: err.message } };
  } finally {
    clearInterval(heartbeat);
    await rm(out, { recursive: true, force: true });
  }
  await Promise.all(pending);
  if (errors.length) throw errors[0];
  return outcome;
}
