/**
 * The main job: prepare the data, train the chosen member (a network or boosted trees), train its
 * single-task baseline the same way, evaluate both on the test rows, report Δm, and save the model
 * folder (model.onnx with preprocessing inside, model.json) atomically.
 *
 * The baseline of a neural architecture is the single-task network under the same budget; the
 * baseline of shared trees (gbdt) is one ensemble per task (gbdt-per-task). With --members or
 * --preset the run trains several members and fuses them instead (ensemble.ts).
 */
import { exportOnnx, taskOutputs } from '../bundle/export-onnx.js';
import { formatFields } from '../bundle/metadata.js';
import { saveModel } from '../bundle/save.js';
import { modelInputsOf } from '../features/index.js';
import { parseTrainOptions, type TrainOptions } from '../train/options.js';
import { prepareData } from '../train/prepare.js';
import { VERSION } from '../version.js';
import { joinRecord } from './join-record.js';
import { trainFusedModel } from './ensemble.js';
import { summarize, type Leaderboard, type MetricSummary } from './leaderboard.js';
import type { TrainModelEvent } from './member.js';
import { fusedRunPlan } from './presets.js';
import type { RunContext } from './neural.js';
import { baselineOf, compare, trainMember } from './train-member.js';

export type { TrainModelEvent } from './member.js';
export type { MetricSummary } from './leaderboard.js';

export interface TrainModelHooks {
  onEvent?: (e: TrainModelEvent) => void;
  /** Continue from the checkpoint a killed run left beside `out` (trees simply train again). */
  resume?: boolean;
  /** Aborted: a network's training ends after the current epoch with the best weights so far (see FitHooks). */
  signal?: AbortSignal;
}


export interface TrainReport {
  model: string;
  arch: string;
  tasks: string[];
  /** Test metrics per task (absent without test rows). */
  test?: Record<string, MetricSummary>;
  /** The single-task baseline's test metrics per task. */
  singleTask?: Record<string, MetricSummary>;
  /** The baseline's architecture: single-task for networks, gbdt-per-task for shared trees. */
  baselineArch?: string;
  /** Δm (%) of the model over the single-task baseline on each task's main metric. */
  deltaM?: number;
  mainMetric: Record<string, string>;
  /** Best epoch (networks) or boosting round (trees), of `epochs` run; `unit` says which. Absent for a fused run (each member's is in model.json). */
  bestEpoch?: number;
  epochs?: number;
  unit?: 'epoch' | 'round';
  /** Trees: per task, the features with the largest total split gain. */
  topFeatures?: Record<string, { feature: string; gain: number; splits: number }[]>;
  seconds: number;
  baselineSeconds?: number;
  /** A fused run: every member and fusion method per task, and how the fusion was fitted. */
  leaderboard?: Leaderboard;
  fusion?: { method: string; fittedOn: 'held-out' | 'out-of-fold'; rows: number; on?: string; /** Folds each member was bagged over (out-of-fold). */ bag?: number; decision?: 'argmax' | 'macro-f1' };
  /** Mean cosine between task gradients over training, rows and columns in task order (methods that compute G). */
  affinity?: (number | null)[][];
  warnings: string[];
}


export async function trainModel(data: string | readonly string[], out: string, options: TrainOptions, hooks: TrainModelHooks = {}): Promise<TrainReport> {
  const given = parseTrainOptions(options);
  const fused = fusedRunPlan(given);
  if (fused) return trainFusedModel(data, out, given, fused, hooks);
  const started = performance.now();
  const p = await prepareData(data, given);
  const run: RunContext = { data: typeof data === 'string' ? [data] : data, out, resume: hooks.resume ?? false, ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}), ...(hooks.signal ? { signal: hooks.signal } : {}) };

  const main = await trainMember(p, given, given.arch, run);
  const baselineArch = baselineOf(given.arch);
  // With one task the single-task network is the model's own shape: nothing to compare. Shared
  // trees still differ from per-output trees when that task has several outputs (classes, labels).
  const outputs = p.schema.tasks.reduce((n, t) => n + (t.type === 'binary' ? 1 : t.classes.length), 0);
  const comparable = p.schema.tasks.length > 1 || (given.arch === 'gbdt' && outputs > 1);
  const wantBaseline = given.baseline && baselineArch !== null && comparable && (p.test ?? p.valid) !== null;
  const baseline = wantBaseline ? await trainMember(p, given, baselineArch!, run) : null;

  const tasks = p.schema.tasks;
  const report: TrainReport = {
    model: out,
    arch: given.arch,
    tasks: tasks.map((t) => t.name),
    mainMetric: main.scored ? Object.fromEntries(Object.entries(main.scored.valid).map(([k, v]) => [k, v.metric])) : {},
    bestEpoch: main.best,
    epochs: main.iterations,
    unit: main.unit,
    ...(main.topFeatures ? { topFeatures: main.topFeatures } : {}),
    seconds: main.seconds,
    warnings: p.warnings.map((w) => w.message),
    ...(main.affinity ? { affinity: main.affinity } : {}),
  };
  if (main.scored && p.test) report.test = Object.fromEntries(main.scored.evaluations.map((e) => [e.task, summarize(e)]));
  if (baseline?.scored && main.scored) {
    report.singleTask = Object.fromEntries(baseline.scored.evaluations.map((e) => [e.task, summarize(e)]));
    report.baselineArch = baseline.arch;
    report.deltaM = compare(main.scored, baseline.scored);
    report.baselineSeconds = baseline.seconds;
  }

  const member = main.onnx();
  const onnx = exportOnnx(member, tasks, VERSION);
  const join = await joinRecord(given);
  await saveModel(out, onnx, {
    ...formatFields(),
    tasks,
    plan: p.plan,
    ...main.description,
    ...(join ? { join } : {}),
    schema: p.schema,
    options: main.options,
    metrics: {
      ...(main.scored ? { evaluation: main.scored.evaluations, evaluatedOn: p.test ? p.testSource : 'validation rows' } : {}),
      ...(report.singleTask ? { singleTask: report.singleTask, baselineArch: report.baselineArch, deltaM: report.deltaM } : {}),
    },
    training: { ...main.training, seconds: (performance.now() - started) / 1000 },
    versions: { polyhead: VERSION, node: process.versions.node },
    onnx: { file: 'model.onnx', inputs: modelInputsOf(p.plan, member.inputs), outputs: tasks.map((t) => taskOutputs(t.name)) },
  });
  return report;
}
