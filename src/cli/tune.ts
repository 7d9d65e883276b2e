/**
 * `polyhead tune DATA --tasks a,b [--trials N | --time-limit 10m]`: search the architecture and
 * training options, stored so that a killed run resumes and several workers share a study
 * (--storage postgres://...); print the leaderboard; retrain the best configuration into --out, or
 * fuse the K best there (--fuse K).
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { FUSION_METHODS } from '../fusion/index.js';
import { formatLeaderboard, formatParams } from '../tune/leaderboard.js';
import type { TuneOptions } from '../tune/options.js';
import { tune, type TuneEvent } from '../tune/tune.js';
import type { TrainOptions } from '../train/options.js';
import { number } from './options.js';
import { progressReporter, type OutputMode } from './progress.js';
import { formatLeaderboard as formatFusion } from './leaderboard.js';
import { formatComparison } from './summary.js';
import { addTableFlags, tableSettings, type TableFlags } from './table-flags.js';

interface TuneFlags extends TableFlags {
  tasks?: string;
  test?: string;
  validFraction?: number;
  testFraction?: number;
  splitColumn?: string;
  out: string;
  trials?: number;
  timeLimit?: number;
  sampler?: string;
  startup?: number;
  defaultsFirst: boolean;
  space?: string;
  storage?: string;
  study?: string;
  prune: boolean;
  eta?: number;
  minEpochs?: number;
  minRounds?: number;
  retrain: boolean;
  fuse?: number;
  fuseMethod?: string;
  worker?: string;
  epochs?: number;
  patience?: number;
  metric?: string;
  seed?: number;
  threads?: number;
  baseline: boolean;
  json?: boolean;
  quiet?: boolean;
}

const UNITS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** '10m', '90s', '1h30m' or a number of seconds. */
export function duration(v: string): number {
  const text = v.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)];
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : parts.map((m) => m[0]).join('') === text ? parts.reduce((a, m) => a + Number(m[1]) * UNITS[m[2]!]!, 0) : NaN;
  if (!(seconds > 0)) throw new OptionError('bad-option', `--time-limit expects a duration such as 10m, 90s or 1h30m, got '${v}'`, { option: 'time-limit', value: v });
  return seconds;
}

const clock = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.max(0, Math.round(s))}s`);

/** Trials done, best score so far and time left: a bar on a terminal, a line per trial elsewhere. */
function tuneProgress(mode: OutputMode) {
  const train = progressReporter(mode === 'json' ? 'quiet' : mode);
  const bars = mode === 'text' && process.stderr.isTTY;
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let total: number | null = null;
  let deadline: number | null = null;
  let done = 0;
  let doneHere = 0;
  let best = '—';
  const left = (): string => {
    const byTime = deadline !== null ? (deadline - Date.now()) / 1000 : Infinity;
    const byTrials = total !== null && doneHere > 0 ? ((Date.now() - started) / 1000 / doneHere) * (total - done) : Infinity;
    const s = Math.min(byTime, byTrials);
    return Number.isFinite(s) ? clock(s) : '—';
  };
  const update = (): void => bar?.update(done, { best, left: left() });
  const onEvent = (e: TuneEvent): void => {
    if (mode === 'json') {
      if (e.event === 'trial-start' || e.event === 'trial-end') process.stdout.write(`${JSON.stringify(e)}\n`);
      return;
    }
    if (e.event === 'study') {
      ({ trials: total, deadline, finished: done } = e);
      if (mode === 'text') process.stdout.write(`study ${e.location}: ${done} trials finished before; worker ${e.worker}\n`);
      if (bars) {
        bar = new cliProgress.SingleBar({ format: 'tune [{bar}] {value}/{total} trials | best {best} | {left} left', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
        bar.start(total ?? done + 1, done, { best, left: left() });
      }
    } else if (e.event === 'trial-epoch') update();
    else if (e.event === 'trial-end') {
      done = e.finished;
      doneHere += 1;
      best = e.best === null ? '—' : e.best.toFixed(4);
      if (bar && total === null) bar.setTotal(done + 1);
      update();
      const r = e.trial.result!;
      if (mode === 'text' && !bars) {
        process.stdout.write(`trial ${e.trial.number} ${e.trial.state}: valid ${r.score === null ? '—' : r.score.toFixed(4)} (best ${best}), ${r.epochs} ${r.unit ?? 'epoch'}${r.epochs === 1 ? '' : 's'}, ${r.seconds.toFixed(1)}s, ${left()} left | ${formatParams(e.trial.params)}${r.error ? ` | ${r.error}` : ''}\n`);
      }
    } else if (e.event === 'retrain') {
      stop();
      if (mode === 'text') process.stdout.write(`retraining trial ${e.trial}${e.member ? ` (member ${e.member.index} of ${e.member.of} of the fusion)` : ''}: ${formatParams(e.params)}\n`);
    } else if (e.event === 'train') train.onEvent(e.train);
  };
  const stop = (): void => {
    bar?.stop();
    bar = null;
    train.stop();
  };
  return { onEvent, stop };
}

export function registerTune(program: Command): void {
  const command = program
    .command('tune')
    .description('search architectures and training options, stored so it resumes and scales out; retrain the best into a model folder')
    .argument('<data>', 'table file (.csv .tsv .data .gz .parquet .jsonl .arff)')
    .option('--tasks <spec>', "task columns, e.g. 'income,relationship'; a multi-label group: 'mood=happy+sad'");
  addTableFlags(command)
    .option('--test <file>', 'a separate test file (its metrics are shown, never used to choose)')
    .option('--valid-fraction <share>', 'share of DATA held out for validation: the score trials are chosen by (default 0.1)', number('valid-fraction'))
    .option('--test-fraction <share>', 'share of DATA held out for testing when there is no --test file (default 0.2)', number('test-fraction'))
    .option('--split-column <name>', 'a column of DATA saying train, valid or test per row')
    .option('--out <dir>', 'model folder for the best configuration; the study file goes beside it', 'polyhead-tuned')
    .option('--trials <n>', 'trials in the study, all workers together (default 20 without --time-limit)', number('trials'))
    .option('--time-limit <duration>', 'end the study after this long (the running trial is cut, recorded as such), e.g. 10m, 90s, 1h30m', duration)
    .option('--sampler <name>', 'tpe (default) or random')
    .option('--startup <n>', 'random trials before TPE models the results (default 10)', number('startup'))
    .option('--no-defaults-first', "trial 0 is a proposal like the others, not train's defaults")
    .option('--space <file>', 'JSON or YAML file overriding the default search space')
    .option('--storage <where>', 'a postgres:// URL to share the study between workers, or a study file (default: OUT.study.jsonl)')
    .option('--study <name>', 'the study name in PostgreSQL (default: the --out folder name)')
    .option('--no-prune', 'run every trial to its end (no successive halving)')
    .option('--eta <n>', 'successive halving: keep the top 1/eta at each rung (default 3)', number('eta'))
    .option('--min-epochs <n>', 'successive halving: the first rung of networks, in epochs (default epochs / eta^3)', number('min-epochs'))
    .option('--min-rounds <n>', 'successive halving: the first rung of boosted trees, in rounds (default rounds / eta^3)', number('min-rounds'))
    .option('--no-retrain', 'do not retrain the best configuration (a helper worker of a shared study)')
    .option('--fuse <k>', 'retrain the k best trials (into OUT.members) and fuse them into --out, fitted on the validation rows', number('fuse'))
    .option('--fuse-method <name>', `how --fuse combines them: ${FUSION_METHODS.join(', ')} (default select)`)
    .option('--worker <name>', 'this worker in the study (default: host:pid)')
    .option('--epochs <n>', 'maximum epochs of a trial (default: sized to the data, as train does)', number('epochs'))
    .option('--patience <n>', 'early-stopping patience of a trial, in epochs', number('patience'))
    .option('--metric <name>', 'early-stopping metric (default: each task\'s main metric)')
    .option('--seed <n>', 'random seed: the same seed gives the same trial sequence', number('seed'))
    .option('--threads <n>', 'onnxruntime threads (0: automatic)', number('threads'))
    .option('--no-baseline', 'skip the single-task baseline when retraining the best (no Δm)')
    .option('--json', 'a JSON object when a trial starts and ends, then a final {"event":"done", ...}')
    .option('--quiet', 'print only the final leaderboard');
  command.action(async (data: string, flags: TuneFlags) => {
    const { out, json, quiet, columns, ignore, kinds, missing, delimiter, header, format } = flags;
    const { trials, timeLimit, sampler, startup, defaultsFirst, space, storage, study, prune, eta, minEpochs, minRounds, retrain, fuse, fuseMethod, worker } = flags;
    const { tasks, test, validFraction, testFraction, splitColumn, epochs, patience, metric, seed, threads, baseline } = flags;
    const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    const train: TrainOptions = defined({ tasks, test, validFraction, testFraction, splitColumn, epochs, patience, metric, seed, threads, baseline, ...tableSettings({ columns, ignore, kinds, missing, delimiter, header, format }) });
    const options = defined({ trials, timeLimit, sampler, startup, defaultsFirst, space, storage, study, prune, eta, minEpochs, minRounds, retrain, fuse, fuseMethod, worker }) as Omit<TuneOptions, 'train'>;
    const mode: OutputMode = json ? 'json' : quiet ? 'quiet' : 'text';
    const progress = tuneProgress(mode);
    let report;
    try {
      report = await tune(data, out, { ...options, train }, { onEvent: progress.onEvent });
    } finally {
      progress.stop();
    }
    if (json) {
      const model = report.fused ? { model: report.fused.model, test: report.model?.test, fused: report.fused } : report.model ? { model: report.model.model, test: report.model.test } : {};
      process.stdout.write(`${JSON.stringify({ event: 'done', study: report.study, best: report.best, leaderboard: report.leaderboard, ...model })}\n`);
      return;
    }
    process.stdout.write(`\n${formatLeaderboard(report.leaderboard)}`);
    process.stdout.write(`\nBest: trial ${report.best.trial}, validation score ${report.best.score!.toFixed(4)} (${report.sampler} sampler, seed ${report.seed}, ${report.leaderboard.length} trials, ${report.seconds.toFixed(0)}s)\n`);
    if (report.model) process.stdout.write(formatComparison(report.model));
    if (report.fused) {
      const f = report.fused;
      process.stdout.write(`\nFused trials ${f.members.map((m) => m.trial).join(', ')} (folders in ${f.members.map((m) => m.model).join(', ')}), fitted on ${f.rows} validation rows:\n`);
      process.stdout.write(formatFusion({ tasks: f.tasks, leaderboard: f.leaderboard, fusion: { method: f.method, fittedOn: 'held-out', rows: f.rows } }));
    }
    if (report.model) process.stdout.write(`\nModel saved to ${report.fused?.model ?? report.model.model} (leaderboard in ${report.fused?.model ?? report.model.model}/tune.json)\n`);
  });
}
