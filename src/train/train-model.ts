/**
 * The main job: prepare the data, train the chosen architecture, train the single-task baseline
 * under the same budget, evaluate both on the test rows, report Δm, and save the model folder
 * (model.onnx with preprocessing inside, model.json) atomically.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { TaskLabels } from '../data/schema.js';
import { defaultArchOptions } from '../arch/architecture.js';
import { exportOnnx, taskOutputs } from '../bundle/export-onnx.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from '../bundle/metadata.js';
import { saveModel } from '../bundle/save.js';
import { deltaM } from '../eval/delta-m.js';
import type { TaskEvaluation } from '../eval/task.js';
import { rawInputsOf } from '../features/index.js';
import { makeTensor } from '../runtime/session.js';
import { VERSION } from '../version.js';
import type { Dataset } from './dataset.js';
import { Forward } from './forward.js';
import { probabilities, type NetworkSpec } from './network.js';
import { trainingBudget } from './budget.js';
import { parseTrainOptions, type ResolvedTrainOptions, type TrainOptions } from './options.js';
import { predictProbabilities } from './predict.js';
import { prepareData, type PreparedData } from './prepare.js';
import { paramLayout } from './step-graph.js';
import { fit, scoreTasks, type FitResult, type TrainEvent } from './trainer.js';

export type TrainModelEvent = TrainEvent & { model: string };

export interface TrainModelHooks {
  onEvent?: (e: TrainModelEvent) => void;
  /** Continue from the checkpoint a killed run left beside `out`. */
  resume?: boolean;
}

export type MetricSummary = Record<string, number | null>;

export interface TrainReport {
  model: string;
  arch: string;
  tasks: string[];
  /** Test metrics per task (absent without test rows). */
  test?: Record<string, MetricSummary>;
  /** The single-task baseline's test metrics per task. */
  singleTask?: Record<string, MetricSummary>;
  /** Δm (%) of the model over the single-task baseline on each task's main metric. */
  deltaM?: number;
  mainMetric: Record<string, string>;
  bestEpoch: number;
  epochs: number;
  seconds: number;
  baselineSeconds?: number;
  /** Mean cosine between task gradients over training, rows and columns in task order (methods that compute G). */
  affinity?: (number | null)[][];
  warnings: string[];
}

function classWeights(labels: TaskLabels, classes: number): number[] | undefined {
  if (labels.type === 'multilabel') return undefined;
  const counts = new Array<number>(classes).fill(0);
  let n = 0;
  for (const c of labels.classIndex) if (c >= 0) (counts[c]! += 1, (n += 1));
  return counts.map((k) => (k > 0 ? n / (classes * k) : 1));
}

function networkSpec(p: PreparedData, o: ResolvedTrainOptions, arch: string): NetworkSpec {
  const defaults = defaultArchOptions(p.plan.numericNames.length + p.plan.categoricalFields.length * 8, p.train.features.rowCount);
  return {
    arch,
    archOptions: {
      ...defaults,
      ...(o.hidden ? { hidden: o.hidden } : {}),
      ...(o.towerHidden ? { towerHidden: o.towerHidden } : {}),
      ...(o.experts ? { experts: o.experts } : {}),
      ...(o.levels ? { levels: o.levels } : {}),
      ...(o.dropout !== undefined ? { dropout: o.dropout } : {}),
      layerNorm: o.layerNorm,
      activation: o.activation as NetworkSpec['archOptions']['activation'],
    },
    numericWidth: p.plan.numericNames.length,
    fields: p.plan.categoricalFields.map((f) => ({ name: f.name, cardinality: f.cardinality })),
    tasks: p.schema.tasks.map((t, i) => {
      const weights = o.classWeights === 'balanced' ? classWeights(p.train.labels[i]!, t.classes.length) : undefined;
      return { name: t.name, type: t.type, outputs: t.classes.length, ...(weights ? { classWeights: weights } : {}) };
    }),
    labelSmoothing: o.labelSmoothing,
  };
}

function summarize(e: TaskEvaluation): MetricSummary {
  const m = e.metrics as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number' || v === null)) as MetricSummary;
}

async function evaluate(spec: NetworkSpec, result: FitResult, data: Dataset, o: ResolvedTrainOptions) {
  const layout = paramLayout(probabilities(spec), false);
  const forward = await Forward.create(probabilities(spec), layout, { threads: o.threads });
  const flat = makeTensor('float32', layout.join(result.params), [layout.total]);
  const probs = await predictProbabilities(forward, { params: flat }, spec, data.features);
  await forward.release();
  return scoreTasks(spec, data.labels, probs, o.metric);
}

async function fingerprint(data: string, o: ResolvedTrainOptions, arch: string): Promise<string> {
  const files = await Promise.all([data, o.test].filter((f): f is string => !!f).map(async (f) => ({ f, ...(({ size, mtimeMs }) => ({ size, mtimeMs }))(await stat(f)) })));
  return createHash('sha256').update(JSON.stringify({ files, o, arch, VERSION })).digest('hex');
}

export async function trainModel(data: string, out: string, options: TrainOptions, hooks: TrainModelHooks = {}): Promise<TrainReport> {
  const given = parseTrainOptions(options);
  const started = performance.now();
  const p = await prepareData(data, given);
  const o = { ...given, ...trainingBudget(p.train.features.rowCount, given) };
  const evalSet = p.test ?? p.valid;

  const run = async (arch: string) => {
    const spec = networkSpec(p, o, arch);
    const t0 = performance.now();
    const checkpoint = { path: `${out}.${arch}.checkpoint`, resume: hooks.resume ?? false, fingerprint: await fingerprint(data, o, arch) };
    // The single-task baseline is plain single-task training: its tasks share nothing to balance.
    const weighting = arch === o.arch ? {} : { weighting: 'equal', weightingOptions: {}, affinity: false };
    const result = await fit(spec, p.train, p.valid, { ...o, ...weighting, optimizer: o.optimizer, schedule: o.schedule as 'cosine' }, {
      onEvent: (e) => hooks.onEvent?.({ ...e, model: arch }),
      checkpoint,
    });
    const scored = evalSet ? await evaluate(spec, result, evalSet, o) : null;
    return { spec, result, scored, seconds: (performance.now() - t0) / 1000 };
  };

  const main = await run(o.arch);
  // With one task the single-task network is the model's own shape: nothing to compare.
  const baseline = o.baseline && o.arch !== 'single-task' && p.schema.tasks.length > 1 && evalSet ? await run('single-task') : null;

  const tasks = p.schema.tasks;
  const report: TrainReport = {
    model: out,
    arch: o.arch,
    tasks: tasks.map((t) => t.name),
    mainMetric: main.scored ? Object.fromEntries(Object.entries(main.scored.valid).map(([k, v]) => [k, v.metric])) : {},
    bestEpoch: main.result.bestEpoch,
    epochs: main.result.history.length,
    seconds: main.seconds,
    warnings: p.warnings.map((w) => w.message),
    ...(main.result.affinity ? { affinity: main.result.affinity } : {}),
  };
  if (main.scored && p.test) report.test = Object.fromEntries(main.scored.evaluations.map((e) => [e.task, summarize(e)]));
  if (baseline?.scored && main.scored) {
    report.singleTask = Object.fromEntries(baseline.scored.evaluations.map((e) => [e.task, summarize(e)]));
    const lower = Object.fromEntries(Object.entries(main.scored.valid).map(([k, v]) => [k, v.metric === 'logLoss' || v.metric === 'hammingLoss']));
    const pick = (s: typeof main.scored) => Object.fromEntries(Object.entries(s!.valid).map(([k, v]) => [k, v.value]));
    report.deltaM = deltaM(pick(main.scored), pick(baseline.scored), lower);
    report.baselineSeconds = baseline.seconds;
  }

  const onnx = exportOnnx(p.plan, main.spec, tasks.map((t) => t.classes), main.result.params, VERSION);
  await saveModel(out, onnx, {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    polyheadVersion: VERSION,
    tasks,
    plan: p.plan,
    network: main.spec,
    schema: p.schema,
    options: { ...o },
    metrics: {
      ...(main.scored ? { evaluation: main.scored.evaluations, evaluatedOn: p.test ? p.testSource : 'validation rows' } : {}),
      ...(report.singleTask ? { singleTask: report.singleTask, deltaM: report.deltaM } : {}),
    },
    training: { bestEpoch: main.result.bestEpoch, epochs: main.result.history.length, history: main.result.history, seconds: (performance.now() - started) / 1000, ...(report.affinity ? { affinity: report.affinity } : {}) },
    versions: { polyhead: VERSION, node: process.versions.node },
    onnx: { file: 'model.onnx', inputs: rawInputsOf(p.plan), outputs: tasks.map((t) => taskOutputs(t.name)) },
  });
  return report;
}
