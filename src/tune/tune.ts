/**
 * `tune`: a study of trials over a search space sized to the data (or read from a space file),
 * stored so that it resumes after a kill and can be shared by several workers; then the leaderboard,
 * and the best configuration retrained and saved as the model folder (or the K best fused into it),
 * with the leaderboard beside it in tune.json.
 */
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TrainingError } from '../errors.js';
import type { FuseReport } from '../pipeline/fuse-models.js';
import { parseTrainOptions } from '../train/options.js';
import { writeFileAtomic } from '../util/atomic.js';
import { defaultSpace } from './default-space.js';
import { defaultsTrial } from './defaults-trial.js';
import { fuseBest } from './fuse-best.js';
import { leaderboard, type LeaderboardRow } from './leaderboard.js';
import { openStore } from './open-store.js';
import { parseTuneOptions, type TuneOptions } from './options.js';
import { trialRandom } from './sampler.js';
import { makeSampler } from './samplers.js';
import { toTrainOptions, type SearchSpace } from './space.js';
import { readSpaceFile } from './space-file.js';
import type { TrialRecord } from './store.js';
import { dataShape, halvingOf, rungsOf, studyConfig, trialLengths } from './study-settings.js';
import { runStudy } from './study.js';
import { trainModel, type TrainModelEvent, type TrainReport } from './trainer.js';
import { runTrial, type TrialSetup } from './trial.js';

export type TuneEvent =
  | { event: 'study'; location: string; worker: string; trials: number | null; deadline: number | null; finished: number; space: SearchSpace }
  | { event: 'trial-start'; trial: number; params: TrialRecord['params']; resumed: boolean }
  | { event: 'trial-epoch'; trial: number; epoch: number; score: number | null }
  | { event: 'trial-end'; trial: TrialRecord; best: number | null; finished: number }
  | { event: 'retrain'; trial: number; params: TrialRecord['params']; member?: { index: number; of: number } }
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
  /** The retrained best configuration (absent with retrain: false); with --fuse, the first member. */
  model?: TrainReport;
  /** --fuse: the fused model of the best trials and its leaderboard of members and fusions. */
  fused?: FuseReport & { members: { trial: number; model: string }[] };
  seconds: number;
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
  const lengths = trialLengths(space, o.train, rows);
  const halving = halvingOf(o, lengths);
  const sampler = makeSampler(o.sampler, o.startup);
  const worker = o.worker ?? `${hostname()}:${process.pid}`;
  const emit = hooks.onEvent ?? (() => undefined);

  const store = openStore(o.storage, out, o.study);
  await store.open(studyConfig(o, space, lengths, halving));
  try {
    const trials = o.trials ?? (o.timeLimit ? null : 20);
    const deadline = o.timeLimit ? Date.now() + o.timeLimit * 1000 : null;
    const dir = `${out}.trials`;
    await mkdir(dir, { recursive: true });
    const before = await store.trials();
    let finished = before.filter((t) => t.state !== 'running').length;
    let best = Math.max(-Infinity, ...before.map((t) => t.result?.score ?? -Infinity));
    emit({ event: 'study', location: store.location, worker, trials, deadline, finished, space });
    const setup: TrialSetup = {
      data, dir, base: { ...o.train, seed: shared.seed }, store, halving, rungs: rungsOf(halving, lengths), deadline,
      onEvent: (trial, e) => void (e.event === 'epoch' && emit({ event: 'trial-epoch', trial: trial.number, epoch: e.epoch, score: e.score })),
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
    const onEvent = (e: TrainModelEvent): void => emit({ event: 'train', train: e });
    if (o.fuse) {
      const fused = await fuseBest({
        data, out, train: o.train, leaderboard: board, k: o.fuse, method: o.fuseMethod, onEvent,
        onMember: (row, index, of) => emit({ event: 'retrain', trial: row.trial, params: row.params, member: { index, of } }),
      });
      report.model = fused.members[0]!.report;
      report.fused = { ...fused.fused, members: fused.members.map((m) => ({ trial: m.trial, model: m.report.model })) };
    } else if (o.retrain) {
      emit({ event: 'retrain', trial: top.trial, params: top.params });
      report.model = await trainModel(data, out, { ...o.train, ...toTrainOptions(top.params) }, { onEvent });
    }
    report.seconds = (performance.now() - started) / 1000;
    if (o.retrain) await writeFileAtomic(join(out, 'tune.json'), `${JSON.stringify({ ...report, space }, null, 2)}\n`);
    return report;
  } finally {
    await store.close();
  }
}
