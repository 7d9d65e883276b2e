/**
 * A gradient-boosted trees member of a run: the plan's tree view of the split rows, boosting
 * (one shared tree per round for all tasks, or one tree per task output), the evaluation on the test
 * rows, and the ensemble as ONNX after the tree view's fragment. Boosting is quick, so `--resume`
 * simply trains again.
 */
import type { MemberOnnx } from '../bundle/export-onnx.js';
import type { Table } from '../data/table.js';
import { rawInputsOf, treeInputs, treeInputsInto, type FeaturePlan } from '../features/index.js';
import { FragmentBuilder } from '../features/onnx-builder.js';
import { makeValueInfo } from '../graph/onnx-proto.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import type { PreparedData } from '../train/prepare.js';
import { scoreTasks } from '../train/trainer.js';
import { parseGbdtOptions, trainEnsemble, type BoostResult, type GbdtOptions } from '../trees/index.js';
import type { TreeEnsemble, TreeInputs } from '../trees/model.js';
import { ensembleToOnnx } from '../trees/onnx.js';
import { predictProbabilities } from '../trees/predict.js';
import { ensembleToJson } from '../trees/serialize.js';
import type { RunContext } from './neural.js';
import type { TrainedMember } from './member.js';

export const TREE_ARCHS = ['gbdt', 'gbdt-per-task'] as const;
export const isTreeArch = (arch: string): boolean => (TREE_ARCHS as readonly string[]).includes(arch);

/** The learner's options from the run's: tree flags, and the run's patience and seed. */
export function gbdtOptionsOf(o: ResolvedTrainOptions, arch: string): GbdtOptions {
  return parseGbdtOptions({
    mode: arch === 'gbdt' ? 'shared' : 'per-task',
    ...(o.rounds !== undefined ? { rounds: o.rounds } : {}),
    ...(o.leaves !== undefined ? { leaves: o.leaves } : {}),
    ...(o.minLeaf !== undefined ? { minLeaf: o.minLeaf } : {}),
    ...(o.minHessian !== undefined ? { minHessian: o.minHessian } : {}),
    ...(o.l2 !== undefined ? { l2: o.l2 } : {}),
    ...(o.treeLr !== undefined ? { lr: o.treeLr } : {}),
    ...(o.maxBins !== undefined ? { maxBins: o.maxBins } : {}),
    ...(o.treeThreads !== undefined ? { threads: o.treeThreads } : {}),
    ...(o.patience !== undefined ? { patience: o.patience } : {}),
    seed: o.seed,
  });
}

/** The tree view's fragment, then the ensemble: raw columns in, per task probabilities out. */
export function ensembleOnnx(plan: FeaturePlan, ensemble: TreeEnsemble): MemberOnnx {
  const b = new FragmentBuilder('gbdt/');
  const x = treeInputsInto(b, plan);
  return {
    inputs: rawInputsOf(plan).map((i) => makeValueInfo(i.name, i.dtype, ['batch', 1])),
    nodes: b.nodes,
    initializers: b.initializers,
    probabilities: ensembleToOnnx(b, ensemble, x),
  };
}

const TOP_FEATURES = 5;

function importanceOf(result: BoostResult, features: string[]) {
  return Object.fromEntries(
    result.importance.map(({ task, gain, splits }) => [
      task,
      features.map((feature, j) => ({ feature, gain: gain[j]!, splits: splits[j]! })).sort((a, b) => b.gain - a.gain || b.splits - a.splits),
    ]),
  );
}

export async function trainTrees(p: PreparedData, o: ResolvedTrainOptions, arch: string, run: RunContext): Promise<TrainedMember> {
  const options = gbdtOptionsOf(o, arch);
  const t0 = performance.now();
  const view = (table: Table, rows: Int32Array | null): TreeInputs => treeInputs(p.plan, table, rows ?? undefined);
  const train = { inputs: view(p.table, p.rows.train), labels: p.train.labels };
  const valid = p.rows.valid && p.valid ? { inputs: view(p.table, p.rows.valid), labels: p.valid.labels } : null;
  const result = trainEnsemble(train, valid, p.schema.tasks, options, {
    onRound: (r) => run.onEvent?.({ event: 'round', ...r, model: arch }),
  });
  const evalInputs = p.rows.test && p.test ? view(p.rows.test.table, p.rows.test.rows) : valid?.inputs;
  const evalLabels = p.test?.labels ?? valid?.labels;
  const tasks = p.schema.tasks.map((t) => ({ name: t.name, type: t.type, outputs: t.classes.length }));
  const scored = evalInputs && evalLabels ? scoreTasks({ tasks }, evalLabels, predictProbabilities(result.ensemble, evalInputs), o.metric) : null;
  const importance = importanceOf(result, train.inputs.features.map((f) => f.name));
  return {
    arch,
    scored,
    seconds: (performance.now() - t0) / 1000,
    best: result.bestRound,
    iterations: result.history.length,
    unit: 'round',
    onnx: () => ensembleOnnx(p.plan, result.ensemble),
    options: { ...o },
    training: { bestRound: result.bestRound, rounds: result.history.length, history: result.history },
    description: {
      trees: {
        mode: options.mode,
        // Not the threads: they leave the trees as they are, and their default is the machine's core count.
        options: { ...options, threads: undefined },
        trees: result.ensemble.trees.length,
        bestRound: result.bestRound,
        taskBestRound: Object.fromEntries(p.schema.tasks.map((t, i) => [t.name, result.taskBestRound[i]!])),
        importance,
        ensemble: ensembleToJson(result.ensemble),
      },
    },
    topFeatures: Object.fromEntries(Object.entries(importance).map(([task, list]) => [task, list.slice(0, TOP_FEATURES).filter((f) => f.splits > 0)])),
  };
}
