/**
 * Gradient boosting over all tasks at once. Shared mode grows one tree per round whose leaves hold a
 * value for every output and whose splits maximise the gain summed over outputs (SketchBoost,
 * GBDT-MO), optionally searching only the top-k outputs by gradient norm. Per-task mode grows one
 * tree per task output and round (as HGB and LightGBM do for multiclass).
 * Each task stops on its own validation score, in both modes: on Adult income needs three times the
 * rounds of the two multiclass tasks, so one stopping round for all would cut one or overfit the
 * others. A shared tree then serves only the tasks still training, and the ensemble keeps each
 * task's outputs up to that task's best round (a shared tree's `outputs` may be a subset).
 */
import type { Task, TaskLabels } from '../data/schema.js';
import { DataError, OptionError } from '../errors.js';
import { Random } from '../util/random.js';
import { applyBins, fitBins, type BinnedInputs } from './binning.js';
import { TreeGrower, type GrownTree, type Passengers } from './grow.js';
import { addGrownValues, addLeafValues } from './leaves.js';
import { featureImportance, type FeatureImportance, type TreeRecord } from './importance.js';
import { baseScores, exponentials, gradients, treeTasks } from './loss.js';
import type { SearchGradients } from './histogram.js';
import type { Tree, TreeEnsemble, TreeInputs } from './model.js';
import { defaultTreeThreads, parseGbdtOptions, type GbdtOptions } from './options.js';
import { iota, projectGradients, roundRows, searchGradients, sketchOutputs, treeFeatures } from './sampling.js';
import { ValidationWatch } from './validation.js';
import { MIN_POOL_ROWS, TreeWork } from './work.js';

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
  /** The threads that trained: the option's, or fewer on a table too small to gain from them. */
  threads: number;
}

export interface BoostSplit {
  inputs: TreeInputs;
  labels: TaskLabels[];
}

interface Kept {
  round: number;
  grown: Pick<GrownTree, 'tree' | 'outputGain'>;
  outputTasks: Int32Array;
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

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** The rows 0 .. n - 1 not in `sorted` (increasing). */
function complement(sorted: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n - sorted.length);
  let j = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (j < sorted.length && sorted[j] === i) j++;
    else out[k++] = i;
  }
  return out;
}

/** One grower per searched width, each with its reusable buffers. */
function growerPool(data: BinnedInputs, o: GbdtOptions, work: TreeWork | null): (k: number) => TreeGrower {
  const growers = new Map<number, TreeGrower>();
  return (k) => {
    if (!growers.has(k)) growers.set(k, new TreeGrower(data, k, o, work));
    return growers.get(k)!;
  };
}

/** The ensemble cut at each task's best round: later trees lose that task's outputs, empty ones go. */
function cut(kept: Kept[], taskCount: number, outputTask: Int32Array, best: number[]): { trees: Tree[]; records: TreeRecord[] } {
  const trees: Tree[] = [];
  const records: TreeRecord[] = [];
  for (const k of kept) {
    const tree = restrict(k.grown.tree, (out) => k.round <= best[outputTask[out]!]!);
    if (!tree) continue;
    trees.push(tree);
    records.push({ ...k, credited: Array.from({ length: taskCount }, (_, t) => k.round <= best[t]!) });
  }
  return { trees, records };
}

/** A tree keeping only the outputs `keep` says yes to (null when none is left). */
function restrict(tree: Tree, keep: (output: number) => boolean): Tree | null {
  const columns = range(0, tree.outputs.length).filter((j) => keep(tree.outputs[j]!));
  if (columns.length === tree.outputs.length) return tree;
  if (columns.length === 0) return null;
  const nodes = tree.feature.length;
  const values = new Float32Array(nodes * columns.length);
  for (let i = 0; i < nodes; i++) columns.forEach((j, c) => (values[i * columns.length + c] = tree.values[i * tree.outputs.length + j]!));
  return { ...tree, values, outputs: Int32Array.from(columns, (j) => tree.outputs[j]!) };
}

type Hooks = { onRound?: (r: BoostRound) => void };

export function trainEnsemble(train: BoostSplit, validSplit: BoostSplit | null, tasks: Task[], options: GbdtOptions, hooks: Hooks = {}): BoostResult {
  const o = parseGbdtOptions(options);
  checkSplit(train, tasks, 'training split');
  if (validSplit) checkSplit(validSplit, tasks, 'validation split', train.inputs.features);
  // Workers only where their start and handshakes pay.
  const threads = train.inputs.rowCount >= MIN_POOL_ROWS ? (o.threads ?? defaultTreeThreads(o.mode, train.inputs.rowCount)) : 1;
  const work = threads > 1 ? TreeWork.open(threads) : null;
  try {
    return { ...boost(train, validSplit, tasks, o, hooks, work), threads };
  } finally {
    work?.close();
  }
}

function boost(train: BoostSplit, validSplit: BoostSplit | null, tasks: Task[], o: GbdtOptions, hooks: Hooks, work: TreeWork | null): Omit<BoostResult, 'threads'> {
  const layout = treeTasks(tasks);
  const n = layout.reduce((a, t) => a + t.width, 0);
  const outputTask = new Int32Array(n);
  layout.forEach((t, i) => outputTask.fill(i, t.offset, t.offset + t.width));
  const binned = applyBins(fitBins(train.inputs, o.maxBins, o.seed), train.inputs);
  const data = work ? work.shareData(binned) : binned;
  const base = baseScores(layout, train.labels, n);
  const rows = data.rowCount;
  const f64 = (length: number): Float64Array => (work ? work.f64(length) : new Float64Array(length));
  // Per-task trees read one output's gradients and update one output's scores over all rows:
  // output-major keeps those passes sequential and to the bytes they need.
  const outputMajor = o.mode === 'per-task';
  const raw = f64(rows * n);
  if (outputMajor) base.forEach((b, k) => raw.fill(b, k * rows, (k + 1) * rows));
  else for (let i = 0; i < rows; i++) raw.set(base, i * n);
  // The scores' exponentials, kept as the scores change: the gradients then need no Math.exp per score.
  const ex = exponentials(raw, f64(rows * n));
  const valid = validSplit && validSplit.inputs.rowCount > 0 ? new ValidationWatch(validSplit, data.features, layout, base, o.stopOn, o.patience) : null;
  const f32 = (length: number): Float32Array => (work ? work.f32(length) : new Float32Array(length));
  const gh = f32(rows * n * 2);
  const grower = growerPool(data, o, work);
  const random = new Random(o.seed);
  const scratch = { buffer: new Float32Array(0), alloc: f32 };
  const active = layout.map(() => true);
  const kept: Kept[] = [];
  const history: BoostRound[] = [];
  // Row buffers reused by every tree: the grower permutes them in place.
  const all = iota(rows);
  const rowBuffer = work ? work.i32(rows) : new Int32Array(rows);
  const undrawnBuffer = work ? work.i32(rows) : new Int32Array(rows);
  // Per-task rounds of at least a tree per thread grow whole trees on the threads (the validation
  // rows riding along); fewer trees are grown one by one, each node's work split.
  const sharedValid = work && o.mode === 'per-task' && valid ? valid.shareWith(work) : null;
  const byTrees = work && o.mode === 'per-task' && (!valid || sharedValid) ? work : null;
  const sampleBuffer = byTrees ? byTrees.i32(rows) : null;
  work?.shareLabels(layout, train.labels, rows);
  /** Starts the gradients at the current scores; the returned function gives the losses once they are done. */
  const grad = (only?: boolean[]): (() => number[]) =>
    work ? work.startGradients(raw, n, gh, outputMajor, only, ex) : () => gradients(layout, train.labels, raw, n, gh, outputMajor, only, ex);
  const losses = grad()();
  const perTaskOutputs = (): Int32Array => Int32Array.from(layout.flatMap((t, i) => (active[i] ? range(t.offset, t.width) : [])));
  for (let round = 1; round <= o.rounds && active.some(Boolean); round++) {
    const sample = o.rowSubsample >= 1 ? all : roundRows(rows, o.rowSubsample, random);
    const unsampled = sample.length < rows ? complement(sample, rows) : null;
    /** Grows one tree on the searched gradients for `treeOutputs`; `searchIsTree`: they are those outputs' own. */
    const fit = (search: SearchGradients, width: number, searchIsTree: boolean, treeOutputs: Int32Array): void => {
      const passengers: Passengers[] = [];
      const undrawn = unsampled ? undrawnBuffer.subarray(0, unsampled.length) : null;
      undrawn?.set(unsampled!);
      const undrawnAt = undrawn ? passengers.push({ columns: data.columns, rows: undrawn }) - 1 : -1;
      const validRows = valid?.passengers();
      const validAt = validRows ? passengers.push(validRows) - 1 : -1;
      const features = treeFeatures(data.features.length, o.featureSubsample, random);
      rowBuffer.set(sample);
      const grown = grower(width).grow(rowBuffer.subarray(0, sample.length), features, { search, full: gh, outputCount: n, searchIsTree }, treeOutputs, passengers);
      if (work) work.addValues(grown.leafOfRow, grown.leafNode, grown.tree.values, grown.tree.outputs, raw, n, ex, outputMajor);
      else addGrownValues(grown, raw, n, ex, outputMajor);
      if (undrawnAt >= 0) addLeafValues(grown, grown.passengers[undrawnAt]!, raw, n, ex, outputMajor);
      valid?.add(grown, validAt >= 0 ? grown.passengers[validAt]! : null);
      kept.push({ round, grown: { tree: grown.tree, outputGain: grown.outputGain }, outputTasks: Int32Array.from(treeOutputs, (k) => outputTask[k]!) });
    };
    if (o.mode === 'shared') {
      const outputs = Int32Array.from(layout.flatMap((t, i) => (active[i] ? range(t.offset, t.width) : [])));
      if (o.sketch > 0 && o.sketchMethod === 'projection' && layout.some((t, i) => active[i] && t.width > o.sketch)) {
        const { search, width } = projectGradients(gh, n, outputs, outputTask, o.sketch, random, scratch, work ? (plan) => work.project(gh, n, plan) : undefined);
        fit(search, width, false, outputs);
      } else {
        const searched = sketchOutputs(gh, n, outputs, outputTask, o.sketch);
        fit(searchGradients(gh, n, searched, scratch), searched.length, searched.length === outputs.length, outputs);
      }
    } else if (byTrees && perTaskOutputs().length >= byTrees.pool.parts) {
      const outputs = perTaskOutputs();
      const features = Array.from(outputs, () => treeFeatures(data.features.length, o.featureSubsample, random));
      sampleBuffer!.set(sample);
      if (unsampled) undrawnBuffer.set(unsampled);
      const trees = { outputs, features, gh, raw, ex, outputCount: n, sample: sampleBuffer!.subarray(0, sample.length), undrawn: unsampled ? undrawnBuffer.subarray(0, unsampled.length) : null, valid: sharedValid };
      byTrees.growRound(trees, o).forEach((grown, j) => kept.push({ round, grown, outputTasks: Int32Array.of(outputTask[outputs[j]!]!) }));
    } else layout.forEach((t, i) => {
      if (active[i]) for (const k of range(t.offset, t.width)) fit({ gh, stride: 1, offset: k * rows }, 1, true, Int32Array.of(k));
    });
    // The next round's gradients, and the loss after this round on the way: on the workers while
    // the validation split is scored here (a task it stops just leaves its gradients unread). A
    // stopped task's scores no longer change: its last loss stands and its gradients are not needed.
    const trained = active.slice();
    const finish = grad(trained);
    const scored = valid?.update(round, active);
    finish().forEach((l, t) => {
      if (trained[t]) losses[t] = l;
    });
    const record: BoostRound = { round, trainLoss: losses.reduce((a, b) => a + b, 0) / losses.length, ...scored };
    history.push(record);
    hooks.onRound?.(record);
  }
  const last = history.length;
  const taskBestRound = layout.map((_, t) => valid?.bestRound(t, last) ?? last);
  const { trees, records } = cut(kept, layout.length, outputTask, taskBestRound);
  return {
    ensemble: { features: train.inputs.features, outputCount: n, tasks: layout, base, trees },
    bestRound: Math.max(0, ...taskBestRound),
    taskBestRound,
    history,
    importance: featureImportance(layout, data.features.length, records),
  };
}
