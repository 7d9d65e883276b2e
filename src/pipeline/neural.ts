/**
 * A neural member of a run: the network spec sized to the data, training with checkpoints, the
 * evaluation on the test rows, and the network as ONNX after the feature plan's fragment.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { defaultArchOptions } from '../arch/architecture.js';
import { imageFeatureWidth } from '../arch/image-trunk.js';
import type { TaskLabels } from '../data/schema.js';
import type { MemberOnnx } from '../bundle/export-onnx.js';
import { featurePlanToOnnx, type FeaturePlan } from '../features/index.js';
import { emitParts, Graph } from '../graph/index.js';
import { BuildContext } from '../nn/context.js';
import { makeTensor } from '../runtime/session.js';
import type { Dataset } from '../train/dataset.js';
import { Forward } from '../train/forward.js';
import { probabilities, probabilityOutput, type NetworkSpec } from '../train/network.js';
import { trainingBudget } from '../train/budget.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import { predictProbabilities } from '../train/predict.js';
import type { PreparedData } from '../train/prepare.js';
import { paramLayout } from '../train/step-graph.js';
import { fit, scoreTasks, type FitResult } from '../train/trainer.js';
import { VERSION } from '../version.js';
import type { TrainedMember, TrainModelEvent } from './member.js';

function classWeights(labels: TaskLabels, classes: number): number[] | undefined {
  if (labels.type === 'multilabel') return undefined;
  const counts = new Array<number>(classes).fill(0);
  let n = 0;
  for (const c of labels.classIndex) if (c >= 0) (counts[c]! += 1, (n += 1));
  return counts.map((k) => (k > 0 ? n / (classes * k) : 1));
}

/** The network a run trains: the architecture sized to the data and the options (also used by bench/weighting). */
export function networkSpec(p: PreparedData, o: ResolvedTrainOptions, arch: string): NetworkSpec {
  const images = p.plan.image.map((s) => ({ name: s.column, height: s.height, width: s.width }));
  const imageWidth = images.reduce((sum, i) => sum + imageFeatureWidth(i, o.imageTrunk), 0);
  const defaults = defaultArchOptions(p.plan.numericNames.length + p.plan.categoricalFields.length * 8 + imageWidth, p.train.features.rowCount);
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
      ...(images.length > 0 ? { imageTrunk: o.imageTrunk } : {}),
    },
    numericWidth: p.plan.numericNames.length,
    fields: p.plan.categoricalFields.map((f) => ({ name: f.name, cardinality: f.cardinality })),
    ...(images.length > 0 ? { images } : {}),
    tasks: p.schema.tasks.map((t, i) => {
      const weights = o.classWeights === 'balanced' ? classWeights(p.train.labels[i]!, t.classes.length) : undefined;
      return { name: t.name, type: t.type, outputs: t.classes.length, ...(weights ? { classWeights: weights } : {}) };
    }),
    labelSmoothing: o.labelSmoothing,
  };
}

async function evaluate(spec: NetworkSpec, result: FitResult, data: Dataset, o: ResolvedTrainOptions) {
  const layout = paramLayout(probabilities(spec), false);
  const forward = await Forward.create(probabilities(spec), layout, { threads: o.threads });
  const flat = makeTensor('float32', layout.join(result.params), [layout.total]);
  const probs = await predictProbabilities(forward, { params: flat }, spec, data.features);
  await forward.release();
  return scoreTasks(spec, data.labels, probs, o.metric);
}

async function fingerprint(data: readonly string[], o: ResolvedTrainOptions, arch: string): Promise<string> {
  const files = await Promise.all([...data, o.test, o.join].filter((f): f is string => !!f).map(async (f) => ({ f, ...(({ size, mtimeMs }) => ({ size, mtimeMs }))(await stat(f)) })));
  return createHash('sha256').update(JSON.stringify({ files, o, arch, VERSION })).digest('hex');
}

/** The plan's fragment, then the network with its trained weights as constants. */
export function networkToOnnx(plan: FeaturePlan, spec: NetworkSpec, params: ReadonlyMap<string, Float32Array>): MemberOnnx {
  const fragment = featurePlanToOnnx(plan);
  const g = new Graph();
  const ctx = new BuildContext(g, false, { kind: 'frozen', values: params });
  for (const [name, t] of Object.entries(probabilities(spec)(ctx))) g.output(name, t);
  const net = emitParts(g, 'network');
  return {
    inputs: fragment.inputs,
    nodes: [...fragment.nodes, ...net.nodes],
    initializers: [...fragment.initializers, ...net.initializers],
    probabilities: spec.tasks.map((_, t) => probabilityOutput(t)),
  };
}

export interface RunContext {
  data: readonly string[];
  out: string;
  resume: boolean;
  onEvent?: (e: TrainModelEvent) => void;
  signal?: AbortSignal;
  /** performance.now() after which a network starts no new epoch (a fused run's time limit). */
  deadline?: number;
}

/** Trains `arch` under the budget sized to the training rows (epochs, patience, batch size unless given). */
export async function trainNeural(p: PreparedData, given: ResolvedTrainOptions, arch: string, run: RunContext): Promise<TrainedMember> {
  const o = { ...given, ...trainingBudget(p.train.features.rowCount, given) };
  const spec = networkSpec(p, o, arch);
  const t0 = performance.now();
  const checkpoint = { path: `${run.out}.${arch}.checkpoint`, resume: run.resume, fingerprint: await fingerprint(run.data, o, arch) };
  // The single-task baseline is plain single-task training: its tasks share nothing to balance.
  const weighting = arch === given.arch ? {} : { weighting: 'equal', weightingOptions: {}, affinity: false };
  const result = await fit(spec, p.train, p.valid, { ...o, ...weighting, optimizer: o.optimizer, schedule: o.schedule as 'cosine', ...(run.deadline !== undefined ? { deadline: run.deadline } : {}) }, {
    onEvent: (e) => run.onEvent?.({ ...e, model: arch }),
    checkpoint,
    ...(run.signal ? { signal: run.signal } : {}),
  });
  const evalSet = p.test ?? p.valid;
  const scored = evalSet ? await evaluate(spec, result, evalSet, o) : null;
  return {
    arch,
    scored,
    seconds: (performance.now() - t0) / 1000,
    best: result.bestEpoch,
    iterations: result.history.length,
    unit: 'epoch',
    onnx: () => networkToOnnx(p.plan, spec, result.params),
    options: { ...o },
    training: { bestEpoch: result.bestEpoch, epochs: result.history.length, history: result.history, ...(result.affinity ? { affinity: result.affinity } : {}) },
    description: { network: spec },
    ...(result.affinity ? { affinity: result.affinity } : {}),
  };
}
