/**
 * Gradient boosting over all tasks at once. Shared mode grows one tree per round whose leaves hold a
 * value for every output and whose splits maximise the gain summed over outputs (SketchBoost,
 * GBDT-MO), optionally searching only the top-k outputs by gradient norm. Per-task mode grows one
 * tree per task output and round (as HGB and LightGBM do for multiclass) and stops each task on its
 * own validation score. The ensemble is cut to the best round (per task in per-task mode).
 */
import type { Task, TaskLabels } from '../data/schema.js';
import { DataError, OptionError } from '../errors.js';
import { Random } from '../util/random.js';
import { applyBins, fitBins } from './binning.js';
import { addLeafValues, TreeGrower, type GrownTree } from './grow.js';
import { featureImportance, type FeatureImportance, type TreeRecord } from './importance.js';
import { baseScores, gradients, treeTasks } from './loss.js';
import type { TreeEnsemble, TreeInputs, TreeTask } from './model.js';
import { parseGbdtOptions, type GbdtOptions } from './options.js';
import { addTree } from './predict.js';
import { EarlyStop, meanScore, scoreValidation } from './stopping.js';

export interface BoostRound {
  round: number;
  trainLoss: number;
  validLoss?: number;
  validScore?: number;
}

export interface BoostResult {
  ensemble: TreeEnsemble;
  /** The round the ensemble was cut at (per-task mode: the latest of the tasks' best rounds). */
  bestRound: number;
  /** Per task, the round its trees were cut at (all equal to bestRound in shared mode). */
  taskBestRound: number[];
  history: BoostRound[];
  importance: FeatureImportance[];
}

export interface BoostSplit {
  inputs: TreeInputs;
  labels: TaskLabels[];
}

interface Kept extends TreeRecord {
  round: number;
  /** The task of a per-task tree; -1 for a shared tree. */
  task: number;
}

const labelRows = (l: TaskLabels): number => (l.type === 'multilabel' ? l.mask.length : l.classIndex.length);

function checkSplit(split: BoostSplit, tasks: Task[], what: string, features?: TreeInputs['features']): void {
  if (split.labels.length !== tasks.length) {
    throw new OptionError('tree-labels', `${what}: ${split.labels.length} label sets for ${tasks.length} tasks; give one per task, in task order`);
  }
  split.labels.forEach((l, t) => {
    if (labelRows(l) !== split.inputs.rowCount) {
      throw new DataError('tree-label-rows', `${what}: task '${tasks[t]!.name}' has labels for ${labelRows(l)} rows, the inputs have ${split.inputs.rowCount}`);
    }
  });
  if (features && (features.length !== split.inputs.features.length || features.some((f, i) => f.name !== split.inputs.features[i]!.name))) {
    throw new DataError('tree-features', `${what}: the features differ from the training split's (${features.map((f) => f.name).join(', ')})`);
  }
}

/** Row indices of one round: all rows, or a seeded draw without replacement, in increasing order. */
function roundRows(n: number, share: number, random: Random): Int32Array {
  if (share >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  const all = random.permutation(n);
  return all.subarray(0, Math.max(1, Math.round(share * n))).sort();
}

function treeFeatures(count: number, share: number, random: Random): Int32Array {
  if (share >= 1) return Int32Array.from({ length: count }, (_, i) => i);
  return random.permutation(count).subarray(0, Math.max(1, Math.round(share * count))).sort();
}

/** The k outputs with the largest sum of squared gradients (all outputs when k is 0 or too large). */
function sketchOutputs(gh: Float64Array, outputCount: number, k: number): Int32Array {
  const all = Int32Array.from({ length: outputCount }, (_, i) => i);
  if (k === 0 || k >= outputCount) return all;
  const norm = new Float64Array(outputCount);
  for (let i = 0; i < gh.length; i += 2) norm[(i >> 1) % outputCount] += gh[i]! * gh[i]!;
  return Int32Array.from(Array.from(all).sort((a, b) => norm[b]! - norm[a]! || a - b).slice(0, k)).sort();
}

/** (g, h) of the listed outputs only, [rows × 2·outputs.length]. */
function gatherOutputs(gh: Float64Array, outputCount: number, outputs: Int32Array, into: Float64Array): Float64Array {
  const k = outputs.length;
  const rows = gh.length / (2 * outputCount);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < k; j++) {
      into[2 * (i * k + j)] = gh[2 * (i * outputCount + outputs[j]!)]!;
      into[2 * (i * k + j) + 1] = gh[2 * (i * outputCount + outputs[j]!) + 1]!;
    }
  }
  return into;
}

export function trainEnsemble(train: BoostSplit, valid: BoostSplit | null, tasks: Task[], options: GbdtOptions, hooks: { onRound?: (r: BoostRound) => void } = {}): BoostResult {
  const o = parseGbdtOptions(options);
  checkSplit(train, tasks, 'training split');
  if (valid) checkSplit(valid, tasks, 'validation split', train.inputs.features);
  const layout = treeTasks(tasks);
  const n = layout.reduce((a, t) => a + t.width, 0);
  const outputTask = new Int32Array(n);
  layout.forEach((t, i) => outputTask.fill(i, t.offset, t.offset + t.width));
  const data = applyBins(fitBins(train.inputs, o.maxBins), train.inputs);
  const base = baseScores(layout, train.labels, n);
  const rows = data.rowCount;
  const raw = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) raw.set(base, i * n);
  const validRaw = valid ? new Float64Array(valid.inputs.rowCount * n) : null;
  if (valid && validRaw) for (let i = 0; i < valid.inputs.rowCount; i++) validRaw.set(base, i * n);

  const shell = { tasks: layout, outputCount: n };
  const stops = (o.mode === 'shared' ? [0] : layout.map((_, i) => i)).map(() => new EarlyStop(o.stopOn, o.patience));
  const active = layout.map(() => true);
  if (valid && validRaw) {
    const s = scoreValidation(shell, valid.labels, validRaw, valid.inputs.rowCount);
    if (o.mode === 'shared') stops[0]!.update(0, meanScore(s));
    else s.forEach((x, t) => stops[t]!.update(0, x));
  }

  const random = new Random(o.seed);
  const growers = new Map<number, TreeGrower>();
  const grower = (k: number): TreeGrower => {
    if (!growers.has(k)) growers.set(k, new TreeGrower(data, k, o));
    return growers.get(k)!;
  };
  const gh = new Float64Array(rows * n * 2);
  const scratch = new Float64Array(rows * 2 * Math.max(1, o.sketch > 0 ? Math.min(o.sketch, n) : 1));
  const kept: Kept[] = [];
  const history: BoostRound[] = [];
  let last = 0;
  gradients(layout, train.labels, raw, n, gh);
  for (let round = 1; round <= o.rounds && active.some(Boolean); round++) {
    last = round;
    const sample = roundRows(rows, o.rowSubsample, random);
    const fitted: { grown: GrownTree; searchTasks: Int32Array; task: number }[] = [];
    const fit = (outputs: Int32Array, treeOutputs: Int32Array, task: number): void => {
      const contiguous = outputs.every((k, j) => k === outputs[0]! + j);
      const search = contiguous ? { gh, stride: n, offset: outputs[0]! } : { gh: gatherOutputs(gh, n, outputs, scratch), stride: outputs.length, offset: 0 };
      const searchIsTree = outputs.length === treeOutputs.length && outputs.every((k, j) => k === treeOutputs[j]);
      const features = treeFeatures(data.features.length, o.featureSubsample, random);
      const grown = grower(outputs.length).grow(sample.slice(), features, { search, full: gh, outputCount: n, searchIsTree }, treeOutputs);
      fitted.push({ grown, searchTasks: Int32Array.from(outputs, (k) => outputTask[k]!), task });
    };
    if (o.mode === 'shared') fit(sketchOutputs(gh, n, o.sketch), Int32Array.from({ length: n }, (_, i) => i), -1);
    else layout.forEach((t, ti) => {
      if (!active[ti]) return;
      for (let k = t.offset; k < t.offset + t.width; k++) fit(Int32Array.of(k), Int32Array.of(k), ti);
    });
    for (const f of fitted) {
      if (sample.length === rows) addLeafValues(f.grown, raw, n);
      else addTree(f.grown.tree, train.inputs, raw, n);
      if (valid && validRaw) addTree(f.grown.tree, valid.inputs, validRaw, n);
      kept.push({ round, task: f.task, grown: f.grown, searchTasks: f.searchTasks });
    }
    // The next round's gradients, and the loss after this round on the way.
    const losses = gradients(layout, train.labels, raw, n, gh);
    const record = roundRecord(round, losses, valid, validRaw, shell, o, stops, active);
    history.push(record);
    hooks.onRound?.(record);
  }
  const taskBestRound = layout.map((_, t) => (valid ? stops[o.mode === 'shared' ? 0 : t]!.bestRound : last));
  const trees = kept.filter((k) => k.round <= (k.task < 0 ? taskBestRound[0]! : taskBestRound[k.task]!));
  return {
    ensemble: { features: train.inputs.features, outputCount: n, tasks: layout, base, trees: trees.map((k) => k.grown.tree) },
    bestRound: Math.max(0, ...taskBestRound),
    taskBestRound,
    history,
    importance: featureImportance(layout, data.features.length, trees),
  };
}

/** Losses and validation scores after a round; updates the early-stopping state and `active`. */
function roundRecord(
  round: number, losses: number[], valid: BoostSplit | null, validRaw: Float64Array | null,
  shell: { tasks: TreeTask[]; outputCount: number }, o: GbdtOptions, stops: EarlyStop[], active: boolean[],
): BoostRound {
  const record: BoostRound = { round, trainLoss: losses.reduce((a, b) => a + b, 0) / losses.length };
  if (!valid || !validRaw) return record;
  const scores = scoreValidation(shell, valid.labels, validRaw, valid.inputs.rowCount);
  const mean = meanScore(scores);
  record.validLoss = mean.loss;
  record.validScore = mean.metric;
  if (o.mode === 'shared') {
    if (stops[0]!.update(round, mean)) active.fill(false);
  } else scores.forEach((s, t) => {
    if (active[t] && stops[t]!.update(round, s)) active[t] = false;
  });
  return record;
}
