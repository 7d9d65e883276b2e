/**
 * The fit loop: seeded shuffling, one step-graph run per batch, per-epoch validation with the
 * mean over tasks of each task's main metric, early stopping that restores the best weights,
 * and a checkpoint after every epoch that `resume` continues from exactly.
 *
 * Task coefficients come from the weighting method each step. A method that reads G gets this
 * step's losses and G between the two graphs of the step (see step-graph.ts). A method that reads
 * only losses runs before the one-graph step, so it is given each task's latest measured loss (the
 * previous batch's; 1 before the first step): exact for equal, fixed, UW, DWA and RLW, whose
 * coefficients depend on past losses only, and a one-step lag for GLS and FAMO, the price of not
 * running the forward pass twice.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { TaskLabels } from '../data/schema.js';
import { TrainingError } from '../errors.js';
import { evaluateLabels, type TaskEvaluation } from '../eval/task.js';
import { mainMetric, MULTILABEL_METRICS, SINGLE_LABEL_METRICS } from '../eval/main-metric.js';
import { initParams } from '../nn/init.js';
import { Random } from '../util/random.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { featureFeeds, labelFeeds, type Dataset } from './dataset.js';
import { Forward } from './forward.js';
import { probabilities, trainingLosses, type NetworkSpec } from './network.js';
import { makeOptimizer } from './optimizers/index.js';
import { predictProbabilities } from './predict.js';
import { Schedule, type ScheduleName } from './schedule.js';
import { paramLayout } from './step-graph.js';
import { Trainable } from './trainable.js';
import { TaskAffinity, Weighter, type AffinityState, type MethodState } from '../weighting/index.js';
import type { GramOn } from './step-graph.js';

export interface FitConfig {
  epochs: number;
  /** Epochs without improvement of the validation score before stopping (0: never stop early). */
  patience: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  weightDecay: number;
  schedule: ScheduleName;
  /** Share of all steps spent warming up (cosine schedule). */
  warmup: number;
  clipNorm?: number;
  /** Main metric for early stopping, applied to the tasks it exists for; others keep their default. */
  metric?: string;
  seed: number;
  threads: number;
  /** Loss-weighting method (default 'equal') and its options. */
  weighting?: string;
  weightingOptions?: Record<string, unknown>;
  /** Where G is computed for methods that read it (default: the shared parameters). */
  gramOn?: GramOn;
  /** Compute G (and so the task affinity) even for a method that does not read it. */
  affinity?: boolean;
  /** performance.now() after which no new epoch starts (a fused run's time limit); the best epoch so far is kept. */
  deadline?: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number[];
  valid: Record<string, { metric: string; value: number }> | null;
  score: number | null;
  lr: number;
  seconds: number;
  best: boolean;
  /** Mean task coefficient over the epoch's steps. */
  coefficients: number[];
}

export type TrainEvent =
  | { event: 'epoch-start'; epoch: number; steps: number }
  | { event: 'step'; epoch: number; step: number; steps: number; losses: number[] }
  | ({ event: 'epoch' } & EpochRecord)
  | { event: 'resumed'; epoch: number };

export interface FitResult {
  params: Map<string, Float32Array>;
  bestEpoch: number;
  history: EpochRecord[];
  stoppedEarly: boolean;
  /** Mean cosine between task gradients over training (T×T), when the steps computed G. */
  affinity: (number | null)[][] | null;
}

export interface FitHooks {
  onEvent?: (e: TrainEvent) => void;
  /** Checkpoint file written after each epoch; with `resume`, training continues from it. */
  checkpoint?: { path: string; resume: boolean; fingerprint: string };
  /** Aborted (a tuner pruning a poor trial): training ends after the current epoch, as an early stop does. */
  signal?: AbortSignal;
}

/** Derived generators per epoch, so a resumed run draws exactly what an uninterrupted one would. */
const epochRandom = (seed: number, epoch: number, stream: number): Random => new Random(seed * 7919 + epoch * 104729 + stream);

/** 1 for each task with at least one labelled row among `rows`. */
export function presentTasks(labels: TaskLabels[], rows: Int32Array): Uint8Array {
  return Uint8Array.from(labels, (l) => (rows.some((r) => (l.type === 'multilabel' ? l.mask[r]! > 0 : l.classIndex[r]! >= 0)) ? 1 : 0));
}

export function labelledRows(labels: TaskLabels[]): number {
  return labels[0] ? (labels[0].type === 'multilabel' ? labels[0].mask.length : labels[0].classIndex.length) : 0;
}

/** Per-task evaluation of probabilities against labels, and the validation score (higher is better). */
export function scoreTasks(spec: Pick<NetworkSpec, 'tasks'>, labels: TaskLabels[], probs: Float32Array[], metric?: string) {
  const evaluations: TaskEvaluation[] = labels.map((l, t) => evaluateLabels(l, probs[t]!));
  const applies = (e: TaskEvaluation): boolean =>
    metric !== undefined && (e.type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS).some((m) => m === metric);
  const mains = evaluations.map((e) => mainMetric(e, applies(e) ? metric : undefined));
  const valid = Object.fromEntries(spec.tasks.map((t, i) => [t.name, { metric: mains[i]!.name, value: mains[i]!.value }]));
  const score = mains.reduce((a, m) => a + (m.lowerIsBetter ? -m.value : m.value), 0) / mains.length;
  return { evaluations, valid, score };
}

export async function fit(spec: NetworkSpec, train: Dataset, valid: Dataset | null, config: FitConfig, hooks: FitHooks = {}): Promise<FitResult> {
  const emit = hooks.onEvent ?? (() => undefined);
  const T = spec.tasks.length;
  const weighter = Weighter.create(config.weighting ?? 'equal', config.weightingOptions ?? {}, T, config.seed);
  const stepSpec = {
    build: trainingLosses(spec),
    optimizer: makeOptimizer({ name: config.optimizer, weightDecay: config.weightDecay }),
    ...(config.clipNorm !== undefined ? { clipNorm: config.clipNorm } : {}),
    ...(weighter.needsGram || config.affinity ? { gramOn: config.gramOn ?? 'params' } : {}),
  };
  const layout = paramLayout(stepSpec.build);
  const trainable = await Trainable.create(stepSpec, initParams(layout.defs, new Random(config.seed)), { threads: config.threads });
  const forward = valid ? await Forward.create(probabilities(spec), layout, { threads: config.threads }) : null;

  const n = train.features.rowCount;
  const batch = Math.min(config.batchSize, n);
  const steps = Math.ceil(n / batch);
  const schedule = new Schedule({ name: config.schedule, lr: config.lr, totalSteps: steps * config.epochs, warmupSteps: Math.round(config.warmup * steps * config.epochs) });
  const affinity = TaskAffinity.empty(T);
  let latestLosses = new Array<number>(T).fill(1);

  let best = { score: -Infinity, epoch: -1, params: trainable.parameters(), bad: 0 };
  const history: EpochRecord[] = [];
  let start = 0;

  const ck = hooks.checkpoint;
  if (ck?.resume && existsSync(ck.path)) {
    const saved = await loadCheckpoint(ck.path);
    if (saved.meta.fingerprint !== ck.fingerprint) {
      throw new TrainingError('checkpoint-mismatch', `${ck.path} was written for other data or options; delete it or run without --resume`);
    }
    const { best: bestParams, ...state } = saved.arrays;
    trainable.restore({ step: saved.meta.step as number, tensors: state });
    best = { ...(saved.meta.best as { score: number; epoch: number; bad: number }), params: layout.split(bestParams!) };
    schedule.restore(saved.meta.schedule as { scale: number; bad: number; best: number | null });
    const w = saved.meta.weighting as { state: MethodState; latestLosses: number[]; affinity: AffinityState };
    weighter.state = w.state;
    latestLosses = w.latestLosses;
    affinity.state = w.affinity;
    history.push(...(saved.meta.history as EpochRecord[]));
    start = history.length;
    emit({ event: 'resumed', epoch: start });
  }

  let stoppedEarly = false;
  for (let epoch = start; epoch < config.epochs; epoch++) {
    const pastDeadline = config.deadline !== undefined && epoch > start && performance.now() >= config.deadline;
    if ((config.patience > 0 && best.bad >= config.patience) || hooks.signal?.aborted || pastDeadline) {
      stoppedEarly = true;
      break;
    }
    const t0 = performance.now();
    const order = epochRandom(config.seed, epoch, 1).permutation(n);
    const noise = epochRandom(config.seed, epoch, 2);
    const sums = new Float64Array(T);
    const coefficientSums = new Float64Array(T);
    let lr = config.lr;
    emit({ event: 'epoch-start', epoch: epoch + 1, steps });
    for (let s = 0; s < steps; s++) {
      const rows = order.subarray(s * batch, Math.min(n, (s + 1) * batch));
      lr = schedule.at(trainable.step);
      const feeds = { ...featureFeeds(train.features, rows, spec.fields.length), ...labelFeeds(train.labels, rows) };
      const present = presentTasks(train.labels, rows);
      let coefficients = new Float32Array(T);
      const choose = (losses: ArrayLike<number>, gram: Float64Array | null): Float32Array => {
        if (gram) affinity.add(gram, present);
        coefficients = Float32Array.from(weighter.weigh({ losses: Float64Array.from(losses), gram, present, epoch }));
        return coefficients;
      };
      const res = trainable.computesGram
        ? await trainable.runWithGram(feeds, lr, choose, noise)
        : await trainable.run(feeds, lr, choose(latestLosses, null), noise);
      res.losses.forEach((l, t) => present[t] && (latestLosses[t] = l));
      coefficients.forEach((c, t) => (coefficientSums[t] += c));
      if (!res.losses.every(Number.isFinite)) {
        throw new TrainingError(
          'non-finite-loss',
          `the loss became ${res.losses.find((l) => !Number.isFinite(l))} at epoch ${epoch + 1}, step ${s + 1}; try a lower learning rate (--lr ${config.lr / 10}) or gradient clipping (--clip-norm 1)`,
          { epoch: epoch + 1, step: s + 1 },
        );
      }
      res.losses.forEach((l, t) => (sums[t] += l));
      emit({ event: 'step', epoch: epoch + 1, step: s + 1, steps, losses: Array.from(res.losses) });
    }

    let record: EpochRecord = {
      epoch: epoch + 1, trainLoss: Array.from(sums, (x) => x / steps), valid: null, score: null, lr, seconds: 0, best: false, coefficients: Array.from(coefficientSums, (x) => x / steps),
    };
    const score = forward && valid ? await validate(forward, trainable, spec, valid, config.metric) : null;
    const current = score ? score.score : -record.trainLoss.reduce((a, b) => a + b, 0);
    if (current > best.score) best = { score: current, epoch: epoch + 1, params: trainable.parameters(), bad: 0 };
    else best.bad += 1;
    schedule.epochEnd(-current);
    record = { ...record, valid: score?.valid ?? null, score: score?.score ?? null, best: best.epoch === epoch + 1, seconds: (performance.now() - t0) / 1000 };
    history.push(record);
    emit({ event: 'epoch', ...record });

    if (ck) {
      const state = trainable.state();
      await saveCheckpoint(ck.path, {
        meta: { fingerprint: ck.fingerprint, step: state.step, best: { score: best.score, epoch: best.epoch, bad: best.bad }, schedule: schedule.state, history, weighting: { state: weighter.state, latestLosses, affinity: affinity.state } },
        arrays: { ...state.tensors, best: layout.join(best.params) },
      });
    }
  }
  await trainable.release();
  await forward?.release();
  if (ck) await rm(ck.path, { force: true });
  return { params: best.params, bestEpoch: best.epoch, history, stoppedEarly, affinity: trainable.computesGram ? affinity.matrix() : null };
}

async function validate(forward: Forward, trainable: Trainable, spec: NetworkSpec, valid: Dataset, metric?: string) {
  const probs = await predictProbabilities(forward, trainable.parameterTensors(), spec, valid.features);
  return scoreTasks(spec, valid.labels, probs, metric);
}
