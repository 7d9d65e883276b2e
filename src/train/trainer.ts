/**
 * The fit loop: seeded shuffling, one step-graph run per batch, per-epoch validation with the
 * mean over tasks of each task's main metric, early stopping that restores the best weights,
 * and a checkpoint after every epoch that `resume` continues from exactly.
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
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number[];
  valid: Record<string, { metric: string; value: number }> | null;
  score: number | null;
  lr: number;
  seconds: number;
  best: boolean;
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
}

export interface FitHooks {
  onEvent?: (e: TrainEvent) => void;
  /** Checkpoint file written after each epoch; with `resume`, training continues from it. */
  checkpoint?: { path: string; resume: boolean; fingerprint: string };
}

/** Derived generators per epoch, so a resumed run draws exactly what an uninterrupted one would. */
const epochRandom = (seed: number, epoch: number, stream: number): Random => new Random(seed * 7919 + epoch * 104729 + stream);

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
  const stepSpec = {
    build: trainingLosses(spec),
    optimizer: makeOptimizer({ name: config.optimizer, weightDecay: config.weightDecay }),
    ...(config.clipNorm !== undefined ? { clipNorm: config.clipNorm } : {}),
  };
  const layout = paramLayout(stepSpec.build);
  const trainable = await Trainable.create(stepSpec, initParams(layout.defs, new Random(config.seed)), { threads: config.threads });
  const forward = valid ? await Forward.create(probabilities(spec), layout, { threads: config.threads }) : null;

  const n = train.features.rowCount;
  const batch = Math.min(config.batchSize, n);
  const steps = Math.ceil(n / batch);
  const schedule = new Schedule({ name: config.schedule, lr: config.lr, totalSteps: steps * config.epochs, warmupSteps: Math.round(config.warmup * steps * config.epochs) });
  const weights = new Float32Array(spec.tasks.length).fill(1);

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
    history.push(...(saved.meta.history as EpochRecord[]));
    start = history.length;
    emit({ event: 'resumed', epoch: start });
  }

  let stoppedEarly = false;
  for (let epoch = start; epoch < config.epochs; epoch++) {
    if (config.patience > 0 && best.bad >= config.patience) {
      stoppedEarly = true;
      break;
    }
    const t0 = performance.now();
    const order = epochRandom(config.seed, epoch, 1).permutation(n);
    const noise = epochRandom(config.seed, epoch, 2);
    const sums = new Float64Array(spec.tasks.length);
    let lr = config.lr;
    emit({ event: 'epoch-start', epoch: epoch + 1, steps });
    for (let s = 0; s < steps; s++) {
      const rows = order.subarray(s * batch, Math.min(n, (s + 1) * batch));
      lr = schedule.at(trainable.step);
      const res = await trainable.run({ ...featureFeeds(train.features, rows, spec.fields.length), ...labelFeeds(train.labels, rows) }, lr, weights, noise);
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

    let record: EpochRecord = { epoch: epoch + 1, trainLoss: Array.from(sums, (x) => x / steps), valid: null, score: null, lr, seconds: 0, best: false };
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
        meta: { fingerprint: ck.fingerprint, step: state.step, best: { score: best.score, epoch: best.epoch, bad: best.bad }, schedule: schedule.state, history },
        arrays: { ...state.tensors, best: layout.join(best.params) },
      });
    }
  }
  await trainable.release();
  await forward?.release();
  if (ck) await rm(ck.path, { force: true });
  return { params: best.params, bestEpoch: best.epoch, history, stoppedEarly };
}

async function validate(forward: Forward, trainable: Trainable, spec: NetworkSpec, valid: Dataset, metric?: string) {
  const probs = await predictProbabilities(forward, trainable.parameterTensors(), spec, valid.features);
  return scoreTasks(spec, valid.labels, probs, metric);
}
