/**
 * Out-of-fold bagging, as AutoGluon bags its models and as stacking needs it (Wolpert 1992): the
 * training rows are cut into K stratified folds, and each member is fitted K times, each time on the
 * other folds and early-stopped on the run's validation rows, never on the fold it then predicts.
 * Gathered, the out-of-fold predictions cover every training row once, each from a model that neither
 * fitted nor early-stopped on it, and the fusion is fitted on them. The member exported is the mean
 * of its K fold models, merged into one graph (their shared preprocessing once).
 */
import type { MemberOnnx } from '../bundle/export-onnx.js';
import { mergeMembers } from '../bundle/compose-members.js';
import { kFolds, type Fold } from '../data/split.js';
import type { Task } from '../data/schema.js';
import { fusionToOnnx, outOfFold, type FusionSpec } from '../fusion/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import type { PreparedData } from '../train/prepare.js';
import { trainingSubset, type FusionRows } from './fusion-share.js';
import type { FittedMember } from './member.js';
import { predictOn } from './member-predict.js';
import type { RunContext } from './neural.js';
import { trainMember } from './train-member.js';

/** Which raw rows of the table one fold model was fitted on, early-stopped on, and predicted. */
export interface BagFold {
  fitted: Int32Array;
  stoppedOn: Int32Array | null;
  predicted: Int32Array;
}

export interface BaggedMember extends FittedMember {
  folds: BagFold[];
}

/** K stratified folds of the training rows (positions in `p.train`), and the rows the fusion is fitted on: all of them, out of fold. */
export function bagFolds(p: PreparedData, k: number, seed: number): { folds: Fold[]; rows: FusionRows } {
  const n = p.train.features.rowCount;
  const folds = kFolds(Int32Array.from({ length: n }, (_, i) => i), k, seed + 2, p.train.labels);
  return { folds, rows: { rows: p.rows.train, labels: p.train.labels, source: 'out-of-fold' } };
}

/** One graph whose outputs, per task, are the mean of the fold models' probabilities. */
export function meanOfFolds(folds: readonly MemberOnnx[], tasks: readonly Task[]): MemberOnnx {
  const merged = mergeMembers(folds);
  const spec: FusionSpec = {
    method: 'mean', members: folds.length, passthrough: 0, fittedOn: 'out-of-fold', rows: 0,
    tasks: tasks.map((t) => ({ task: t.name, kind: 'weighted', outputs: t.classes.length, weights: folds.map(() => 1 / folds.length) })),
  };
  const outputs = tasks.map((t) => `bag/${t.name}/probabilities`);
  const mean = fusionToOnnx(spec, { members: merged.probabilities }, outputs, 'bag/');
  return { inputs: merged.inputs, nodes: [...merged.nodes, ...mean.nodes], initializers: [...merged.initializers, ...mean.initializers], probabilities: outputs };
}

/** Member `arch` bagged over `folds`: its out-of-fold predictions of the training rows, and its fold mean on the test rows. */
export async function bagMember(p: PreparedData, folds: readonly Fold[], o: ResolvedTrainOptions, arch: string, run: RunContext): Promise<BaggedMember> {
  const models: MemberOnnx[] = [];
  const predictions: Float32Array[][] = [];
  const records: Record<string, unknown>[] = [];
  const bag: BagFold[] = [];
  let seconds = 0;
  for (const [f, fold] of folds.entries()) {
    const label = `${arch} fold ${f + 1}/${folds.length}`;
    const foldRun: RunContext = { ...run, out: `${run.out}.fold${f + 1}`, onEvent: (e) => run.onEvent?.({ ...e, model: label }) };
    const part = trainingSubset(p, fold.train);
    // Each fold model draws its own initialisation and shuffling, so the K models differ beyond their rows.
    const seed = o.seed + f;
    const trained = await trainMember(part, { ...o, arch, seed }, arch, foldRun);
    const onnx = trained.onnx();
    const predicted = Int32Array.from(fold.valid, (i) => p.rows.train[i]!);
    predictions.push(await predictOn(onnx, p, p.table, predicted, o.threads));
    models.push(onnx);
    records.push({ seed, seconds: trained.seconds, training: trained.training, ...trained.description });
    bag.push({ fitted: part.rows.train, stoppedOn: p.rows.valid, predicted });
    seconds += trained.seconds;
  }
  const oof = outOfFold(folds, predictions, p.schema.tasks.map((t) => t.classes.length));
  const onnx = meanOfFolds(models, p.schema.tasks);
  const test = p.rows.test ? await predictOn(onnx, p, p.rows.test.table, p.rows.test.rows, o.threads) : null;
  return { arch, seconds, onnx, record: { bag: folds.length, folds: records }, fit: oof.probs, test, folds: bag };
}
