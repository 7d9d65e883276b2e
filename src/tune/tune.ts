/**
 * `tune`: a study of trials over a search space sized to the data (or read from a space file),
 * stored so that it resumes after a kill and can be shared by several workers; then the leaderboard,
 * and the best configuration retrained and saved as the model folder, with the leaderboard beside it
 * in tune.json.
 */
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readTable } from '../data/read.js';
import { inferSchema } from '../data/infer.js';
import { inferOptionsOf, readOptionsOf, type TableSettings } from '../data/settings.js';
import { TrainingError } from '../errors.js';
import { trainingBudget } from '../train/budget.js';
import { parseTrainOptions, type TrainOptions } from '../train/options.js';
import { writeFileAtomic } from '../util/atomic.js';
import { defaultMinEpochs, rungEpochs, type Halving } from './asha.js';
import { defaultSpace } from './default-space.js';
import { defaultsTrial } from './defaults-trial.js';
import { leaderboard, type LeaderboardRow } from './leaderboard.js';
import { openStore } from './open-store.js';
import { parseTuneOptions, type ResolvedTuneOptions, type TuneOptions } from './options.js';
import { trialRandom } from './sampler.js';
import { makeSampler } from './samplers.js';
import { toTrainOptions, type SearchSpace } from './space.js';
import { readSpaceFile } from './space-file.js';
import type { TrialRecord } from './store.js';
import { runStudy } from './study.js';
import { trainModel, type TrainModelEvent, type TrainReport } from './trainer.js';
import { runTrial } from './trial.js';

export type TuneEvent =
  | { event: 'study'; location: string; worker: string; trials: number | null; deadline: number | null; finished: number; space: SearchSpace }
  | { event: 'trial-start'; trial: number; params: TrialRecord['params']; resumed: boolean }
  | { event: 'trial-epoch'; trial: number; epoch: number; score: number | null }
  | { event: 'trial-end'; trial: TrialRecord; best: number | null; finished: number }
  | { event: 'retrain'; trial: number; params: TrialRecord['params'] }
  | { event: 'train'; train: TrainModelEvent };

export interface TuneHooks {
  onEvent?: (e: TuneEvent) => void;
}

export interface TuneReport {
  study: string;
  sampler: string;
  seed: number;
  leaderboard: LeaderboardRow[];
  best: LeaderboardRow;
  /** The retrained best configuration (absent with retrain: false). */
  model?: TrainReport;
  seconds: number;
}

/**
 * Roughly the training rows, to size the default space: the held-out shares come off the file's
 * rows. Inferring the schema here refuses a bad table or task before the study is created.
 */
async function dataShape(data: string, t: TrainOptions): Promise<{ rows: number; tasks: number }> {
  const table = await readTable(data, readOptionsOf(t as TableSettings));
  const schema = inferSchema(table, { ...inferOptionsOf(t as TableSettings), ...(t.tasks !== undefined ? { tasks: t.tasks } : {}) });
  const heldOut = (t.validFraction ?? 0.1) + (t.test || t.splitColumn ? 0 : (t.testFraction ?? 0.2));
  return { rows: Math.max(1, Math.round(table.rowCount * (1 - heldOut))), tasks: schema.tasks.length };
}

function maxEpochs(space: SearchSpace, t: TrainOptions, rows: number): number {
  const p = space.find((q) => q.name === 'epochs');
  if (p) return p.type === 'range' ? p.high : Math.max(...p.choices.map(Number).filter(Number.isFinite));
  return t.epochs ?? trainingBudget(rows, { ...(t.batchSize ? { batchSize: t.batchSize } : {}), ...(t.patience !== undefined ? { patience: t.patience } : {}) }).epochs;
}

/** What makes two workers' studies the same one: not file paths (they differ between machines), threads, or the retrain's baseline. */
function studyConfig(o: ResolvedTuneOptions, space: SearchSpace, epochs: number, halving: Halving | null) {
  const { test: _test, threads: _threads, baseline: _baseline, ...train } = o.train;
  return { format: 'polyhead-study', version: 1, train, space, sampler: o.sampler, startup: o.startup, defaultsFirst: o.defaultsFirst, epochs, halving };
}

function bestOf(board: LeaderboardRow[], location: string): LeaderboardRow {
  const top = board[0];
  if (top && top.score !== null) return top;
  const why = board.find((r) => r.error)?.error;
  throw new TrainingError('no-trial-succeeded', `no trial of ${location} finished with a validation score${why ? `; the first failure: ${why}` : ''}`, { study: location });
}

export async function tune(data: string, out: string, options: TuneOptions, hooks: TuneHooks = {}): Promise<TuneReport> {
  const started = performance.now();
  const o = parseTuneOptions(options);
  const shared = parseTrainOptions(o.train);
  const { rows, tasks } = await dataShape(data, o.train);
  const defaults = defaultSpace(rows, tasks);
  const space = o.space ? await readSpaceFile(o.space, defaults) : defaults;
  const epochs = maxEpochs(space, o.train, rows);
  const halving = o.prune ? { eta: o.eta, minEpochs: o.minEpochs ?? defaultMinEpochs(o.eta, epochs) } : null;
  const sampler = makeSampler(o.sampler, o.startup);
  const worker = o.worker ?? `${hostname()}:${process.pid}`;
  const emit = hooks.onEvent ?? (() => undefined);

  const store = openStore(o.storage, out, o.study);
  await store.open(studyConfig(o, space, epochs, halving));
  try {
    const trials = o.trials ?? (o.timeLimit ? null : 20);
    const deadline = o.timeLimit ? Date.now() + o.timeLimit * 1000 : null;
    const dir = `${out}.trials`;
    await mkdir(dir, { recursive: true });
    const before = await store.trials();
    let finished = before.filter((t) => t.state !== 'running').length;
    let best = Math.max(-Infinity, ...before.map((t) => t.result?.score ?? -Infinity));
    emit({ event: 'study', location: store.location, worker, trials, deadline, finished, space });
    const setup = {
      data, dir, base: { ...o.train, seed: shared.seed }, store, halving, rungs: halving ? rungEpochs(halving, epochs) : [],
      onEvent: (trial: TrialRecord, e: TrainModelEvent) => e.event === 'epoch' && emit({ event: 'trial-epoch', trial: trial.number, epoch: e.epoch, score: e.score }),
    };
    await runStudy({
      store, space, sampler, seed: shared.seed, trials, deadline, worker,
      ...(o.defaultsFirst ? { first: defaultsTrial(space, defaults, trialRandom(shared.seed, 0)) } : {}),
      run: (trial) => runTrial(setup, trial),
      onTrialStart: (trial, resumed) => emit({ event: 'trial-start', trial: trial.number, params: trial.params, resumed }),
      onTrialEnd: (trial) => {
        finished += 1;
        best = Math.max(best, trial.result?.score ?? -Infinity);
        emit({ event: 'trial-end', trial, best: Number.isFinite(best) ? best : null, finished });
      },
    });
    await rm(dir, { recursive: true, force: true });

    const board = leaderboard(await store.trials());
    const top = bestOf(board, store.location);
    const report: TuneReport = { study: store.location, sampler: sampler.name, seed: shared.seed, leaderboard: board, best: top, seconds: 0 };
    if (o.retrain) {
      emit({ event: 'retrain', trial: top.trial, params: top.params });
      report.model = await trainModel(data, out, { ...o.train, ...toTrainOptions(top.params) }, { onEvent: (e) => emit({ event: 'train', train: e }) });
    }
    report.seconds = (performance.now() - started) / 1000;
    if (o.retrain) await writeFileAtomic(join(out, 'tune.json'), `${JSON.stringify({ ...report, space }, null, 2)}\n`);
    return report;
  } finally {
    await store.close();
  }
}
