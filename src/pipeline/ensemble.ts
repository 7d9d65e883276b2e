/**
 * A fused run (`--members` or `--preset`): hold out a fusion share of the training rows, train each
 * member on the rest (early-stopped on the validation rows as usual), predict the share and the test
 * rows through each member's ONNX graph, fit every fusion method on the share, and save one folder
 * whose model.onnx holds the plan once, every member's graph and the chosen fusion as ONNX ops.
 */
import { exportOnnx, taskOutputs, type MemberOnnx } from '../bundle/export-onnx.js';
import { fuseMembersOnnx } from '../bundle/compose-members.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from '../bundle/metadata.js';
import { saveModel } from '../bundle/save.js';
import type { Task, TaskLabels } from '../data/schema.js';
import { MULTILABEL_METRICS, SINGLE_LABEL_METRICS } from '../eval/main-metric.js';
import { modelInputsOf } from '../features/index.js';
import { applyFusion, fitFusion, FUSION_METHODS, type FusionSpec } from '../fusion/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import { prepareData, type PreparedData } from '../train/prepare.js';
import { VERSION } from '../version.js';
import { fusionRows, type FusionShare } from './fusion-share.js';
import { evaluate, rank, type Evaluated, type LeaderboardEntry } from './leaderboard.js';
import { memberPredictor } from './member-predict.js';
import type { TrainedMember } from './member.js';
import type { RunContext } from './neural.js';
import type { FusedRunPlan } from './presets.js';
import { baselineOf, compare, trainMember } from './train-member.js';
import type { TrainModelHooks, TrainReport } from './train-model.js';

interface FittedMember {
  trained: TrainedMember;
  onnx: MemberOnnx;
  /** Per task, on the fusion share and on the test rows. */
  share: Float32Array[];
  test: Float32Array[] | null;
}

async function predictMember(p: PreparedData, share: FusionShare, trained: TrainedMember, threads: number): Promise<FittedMember> {
  const onnx = trained.onnx();
  const predictor = await memberPredictor(onnx, p.plan, p.schema.tasks, threads);
  try {
    const test = p.rows.test ? await predictor.predict(p.rows.test.table, p.rows.test.rows) : null;
    return { trained, onnx, share: await predictor.predict(p.table, share.rows), test };
  } finally {
    await predictor.release();
  }
}

/** Per task, the run's --metric where it applies to the task's type (as early stopping uses it). */
function fusionMetrics(tasks: readonly Task[], metric: string | undefined): Record<string, string> {
  if (metric === undefined) return {};
  const applies = (t: Task) => ((t.type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS) as readonly string[]).includes(metric);
  return Object.fromEntries(tasks.filter(applies).map((t) => [t.name, metric]));
}

/** Trains the members in turn; under a time limit, a member that would start after it is skipped. */
async function trainMembers(p: PreparedData, share: FusionShare, o: ResolvedTrainOptions, plan: FusedRunPlan, run: RunContext, warnings: string[]): Promise<FittedMember[]> {
  const fitted: FittedMember[] = [];
  for (const [i, arch] of plan.members.entries()) {
    const left = run.deadline === undefined ? undefined : (run.deadline - performance.now()) / 1000;
    if (left !== undefined && left <= 0 && fitted.length > 0) {
      warnings.push(`the time limit (--time-limit ${o.timeLimit}) was reached before member '${arch}'; skipped ${plan.members.slice(i).join(', ')}`);
      break;
    }
    run.onEvent?.({ event: 'member', index: i + 1, of: plan.members.length, ...(left !== undefined ? { secondsLeft: Math.max(0, left) } : {}), model: arch });
    const trained = await trainMember(share.members, { ...o, arch }, arch, run);
    fitted.push(await predictMember(p, share, trained, o.threads));
  }
  return fitted;
}

interface MemberScores {
  valid: Evaluated;
  test: Evaluated | null;
}

interface FusionResult extends MemberScores {
  method: string;
  spec: FusionSpec;
}

interface BaselineScores {
  arch: string;
  test: Evaluated;
  seconds: number;
}

/**
 * The single-task baseline on the test rows: a member that is already one model per task
 * (gbdt-per-task, single-task), else the baseline of the first member trained like the members.
 */
async function baselineScores(p: PreparedData, share: FusionShare, o: ResolvedTrainOptions, members: FittedMember[], scores: MemberScores[], run: RunContext): Promise<BaselineScores | null> {
  const outputs = p.schema.tasks.reduce((n, t) => n + (t.type === 'binary' ? 1 : t.classes.length), 0);
  if (!o.baseline || !p.test || (p.schema.tasks.length === 1 && outputs === 1)) return null;
  const own = members.findIndex((m) => baselineOf(m.trained.arch) === null);
  if (own >= 0) return { arch: members[own]!.trained.arch, test: scores[own]!.test!, seconds: members[own]!.trained.seconds };
  const arch = baselineOf(members[0]!.trained.arch)!;
  const trained = await trainMember(share.members, { ...o, arch }, arch, run);
  const fitted = await predictMember(p, share, trained, o.threads);
  return { arch, test: evaluate(p.schema.tasks, p.test.labels, fitted.test!, o.metric), seconds: trained.seconds };
}

/** Every fusion method fitted on the members' predictions of the fusion rows; members and methods scored on those rows and the test rows. */
function fitAndRank(members: FittedMember[], share: FusionShare, tasks: readonly Task[], testLabels: TaskLabels[] | null, metric: string | undefined, chosen: string) {
  const options = { fittedOn: 'held-out' as const, metrics: fusionMetrics(tasks, metric) };
  const scores = (fit: Float32Array[], test: Float32Array[] | null): MemberScores => ({
    valid: evaluate(tasks, share.labels, fit, metric),
    test: testLabels && test ? evaluate(tasks, testLabels, test, metric) : null,
  });
  const fusions: FusionResult[] = FUSION_METHODS.map((method) => {
    const spec = fitFusion(method, members.map((m) => m.share), share.labels, tasks, options);
    return { method, spec, ...scores(applyFusion(spec, members.map((m) => m.share)), testLabels ? applyFusion(spec, members.map((m) => m.test!)) : null) };
  });
  const memberScores = members.map((m) => scores(m.share, m.test));
  const entries: LeaderboardEntry[] = [
    ...members.map((m, i): LeaderboardEntry => ({ name: m.trained.arch, kind: 'member', seconds: m.trained.seconds, valid: memberScores[i]!.valid.scores, test: memberScores[i]!.test?.scores ?? null })),
    ...fusions.map((f): LeaderboardEntry => ({ name: `fusion:${f.method}`, kind: 'fusion', valid: f.valid.scores, test: f.test?.scores ?? null, ...(f.method === chosen ? { chosen: true } : {}) })),
  ];
  const mainMetric = Object.fromEntries(Object.entries(fusions[0]!.valid.main).map(([k, v]) => [k, v.metric]));
  return { fusions, memberScores, leaderboard: { mainMetric, entries: rank(entries) } };
}

/** The run's options without `arch`, which a fused model does not have (its members do). */
function withoutArch(o: ResolvedTrainOptions): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...o };
  delete rest.arch;
  return rest;
}

export async function trainFusedModel(data: string | readonly string[], out: string, given: ResolvedTrainOptions, plan: FusedRunPlan, hooks: TrainModelHooks): Promise<TrainReport> {
  const started = performance.now();
  const p = await prepareData(data, given);
  const tasks = p.schema.tasks;
  const share = fusionRows(p, plan.members.length, given.fusionShare, given.seed);
  const run: RunContext = {
    data: typeof data === 'string' ? [data] : data, out, resume: hooks.resume ?? false,
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    ...(given.timeLimit !== undefined ? { deadline: started + given.timeLimit * 1000 } : {}),
  };
  const warnings = p.warnings.map((w) => w.message);
  const members = await trainMembers(p, share, given, plan, run, warnings);
  const testLabels = p.test?.labels ?? null;

  const { fusions, memberScores, leaderboard } = fitAndRank(members, share, tasks, testLabels, given.metric, plan.fusion);
  const chosen = fusions.find((f) => f.method === plan.fusion)!;

  const baseline = await baselineScores(p, share, given, members, memberScores, run);
  const fusedTest = chosen.test ?? chosen.valid;
  const report: TrainReport = {
    model: out,
    arch: `${plan.fusion}(${members.map((m) => m.trained.arch).join(', ')})`,
    tasks: tasks.map((t) => t.name),
    mainMetric: leaderboard.mainMetric,
    seconds: (performance.now() - started) / 1000,
    warnings,
    leaderboard,
    fusion: { method: plan.fusion, fittedOn: 'held-out', rows: share.rows.length, on: share.source },
    ...(chosen.test ? { test: chosen.test.scores.tasks } : {}),
    ...(baseline ? { singleTask: baseline.test.scores.tasks, baselineArch: baseline.arch, deltaM: compare({ valid: fusedTest.main }, { valid: baseline.test.main }), baselineSeconds: baseline.seconds } : {}),
  };

  const fused = fuseMembersOnnx(members.map((m) => m.onnx), chosen.spec, tasks);
  const onnx = exportOnnx(fused, tasks, VERSION);
  await saveModel(out, onnx, {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    polyheadVersion: VERSION,
    tasks,
    plan: p.plan,
    members: members.map((m, i) => ({ arch: m.trained.arch, seconds: m.trained.seconds, probabilities: fused.memberProbabilities[i], onnxBytes: exportOnnx(m.onnx, tasks, VERSION).length, training: m.trained.training, ...m.trained.description })),
    fusion: { method: plan.fusion, fittedOn: 'held-out', rows: share.rows.length, on: share.source, ...(share.source === 'fusion share' ? { share: given.fusionShare } : {}), spec: chosen.spec },
    schema: p.schema,
    options: { ...withoutArch(given), members: members.map((m) => m.trained.arch), fusion: plan.fusion },
    metrics: {
      ...(chosen.test ? { evaluation: chosen.test.evaluations, evaluatedOn: p.testSource } : { evaluation: chosen.valid.evaluations, evaluatedOn: `${share.source} (in-sample)` }),
      leaderboard,
      ...(report.singleTask ? { singleTask: report.singleTask, baselineArch: report.baselineArch, deltaM: report.deltaM } : {}),
    },
    training: { seconds: (performance.now() - started) / 1000, members: members.map((m) => ({ arch: m.trained.arch, seconds: m.trained.seconds })) },
    versions: { polyhead: VERSION, node: process.versions.node },
    onnx: { file: 'model.onnx', inputs: modelInputsOf(p.plan, fused.inputs), outputs: tasks.map((t) => taskOutputs(t.name)) },
  });
  return report;
}
