/**
 * A fused run (`--members` or `--preset`): hold out a fusion share of the training rows and train each
 * member on the rest (early-stopped on the validation rows as usual), or bag each member over K folds
 * (bagging.ts); predict the fusion rows and the test rows through each member's ONNX graph, fit every
 * fusion method on the fusion rows' predictions, and save one folder
 * whose model.onnx holds the plan once, every member's graph and the chosen fusion as ONNX ops.
 */
import { exportOnnx, taskOutputs } from '../bundle/export-onnx.js';
import { fuseMembersOnnx } from '../bundle/compose-members.js';
import { formatFields } from '../bundle/metadata.js';
import { saveModel } from '../bundle/save.js';
import type { Task, TaskLabels } from '../data/schema.js';
import { MULTILABEL_METRICS, SINGLE_LABEL_METRICS } from '../eval/main-metric.js';
import { modelInputsOf } from '../features/index.js';
import { applyFusion, fitFusion, FUSION_METHODS, type FittedOn, type FusionSpec } from '../fusion/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import { prepareData, type PreparedData } from '../train/prepare.js';
import { VERSION } from '../version.js';
import { joinRecord } from './join-record.js';
import { fusionRows, type FusionRows, type FusionShare } from './fusion-share.js';
import { evaluate, fusionEntry, rank, type Evaluated, type LeaderboardEntry } from './leaderboard.js';
import { bagFolds, bagMember } from './bagging.js';
import { predictFitAndTest, predictOn } from './member-predict.js';
import type { FittedMember } from './member.js';
import type { RunContext } from './neural.js';
import { DEFAULT_FUSION_SHARE, type FusedRunPlan } from './presets.js';
import { baselineOf, compare, trainMember } from './train-member.js';
import type { TrainModelHooks, TrainReport } from './train-model.js';

/** A member trained on the training rows without the fusion share, and predicted on the share and the test rows. */
async function heldOutMember(p: PreparedData, share: FusionShare, o: ResolvedTrainOptions, arch: string, run: RunContext): Promise<FittedMember> {
  const trained = await trainMember(share.members, { ...o, arch }, arch, run);
  const onnx = trained.onnx();
  const { fit, test } = await predictFitAndTest(onnx, p, share.rows, o.threads);
  return { arch, seconds: trained.seconds, onnx, record: { training: trained.training, ...trained.description }, fit, test };
}

/** Per task, the run's --metric where it applies to the task's type (as early stopping uses it). */
function fusionMetrics(tasks: readonly Task[], metric: string | undefined): Record<string, string> {
  if (metric === undefined) return {};
  const applies = (t: Task) => ((t.type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS) as readonly string[]).includes(metric);
  return Object.fromEntries(tasks.filter(applies).map((t) => [t.name, metric]));
}

/** Trains the members in turn; under a time limit, a member that would start after it is skipped. */
async function trainMembers(train: (arch: string) => Promise<FittedMember>, o: ResolvedTrainOptions, plan: FusedRunPlan, run: RunContext, warnings: string[]): Promise<FittedMember[]> {
  const fitted: FittedMember[] = [];
  for (const [i, arch] of plan.members.entries()) {
    const left = run.deadline === undefined ? undefined : (run.deadline - performance.now()) / 1000;
    if (left !== undefined && left <= 0 && fitted.length > 0) {
      warnings.push(`the time limit (--time-limit ${o.timeLimit}) was reached before member '${arch}'; skipped ${plan.members.slice(i).join(', ')}`);
      break;
    }
    run.onEvent?.({ event: 'member', index: i + 1, of: plan.members.length, ...(left !== undefined ? { secondsLeft: Math.max(0, left) } : {}), model: arch });
    fitted.push(await train(arch));
  }
  return fitted;
}

interface MemberScores {
  valid: Evaluated;
  test: Evaluated | null;
}

interface FusionResult extends MemberScores {
  method: string;
  /** As the leaderboard names it: fusion:METHOD, with +macro-f1 for the decision rule. */
  name: string;
  decision: (typeof DECISIONS)[number];
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
async function baselineScores(p: PreparedData, o: ResolvedTrainOptions, members: FittedMember[], scores: MemberScores[], run: RunContext): Promise<BaselineScores | null> {
  const outputs = p.schema.tasks.reduce((n, t) => n + (t.type === 'binary' ? 1 : t.classes.length), 0);
  if (!o.baseline || !p.test || (p.schema.tasks.length === 1 && outputs === 1)) return null;
  const own = members.findIndex((m) => baselineOf(m.arch) === null);
  if (own >= 0) return { arch: members[own]!.arch, test: scores[own]!.test!, seconds: members[own]!.seconds };
  const arch = baselineOf(members[0]!.arch)!;
  const trained = await trainMember(p, { ...o, arch }, arch, run);
  const test = await predictOn(trained.onnx(), p, p.rows.test!.table, p.rows.test!.rows, o.threads);
  return { arch, test: evaluate(p.schema.tasks, p.test.labels, test, o.metric), seconds: trained.seconds };
}

const DECISIONS = ['argmax', 'macro-f1'] as const;

/**
 * Every fusion method fitted on the members' predictions of the fusion rows, each with the argmax and
 * (where it fits a rule for some task) the macro-F1 decision; members and fusions scored on those
 * rows and the test rows. The chosen fusion is the plan's method with its decision.
 */
function fitAndRank(members: FittedMember[], share: FusionRows, tasks: readonly Task[], testLabels: TaskLabels[] | null, metric: string | undefined, plan: FusedRunPlan) {
  const scores = (fit: Float32Array[], test: Float32Array[] | null): MemberScores => ({
    valid: evaluate(tasks, share.labels, fit, metric),
    test: testLabels && test ? evaluate(tasks, testLabels, test, metric) : null,
  });
  const fusions: FusionResult[] = FUSION_METHODS.flatMap((method) => DECISIONS.flatMap((decision) => {
    const spec = fitFusion(method, members.map((m) => m.fit), share.labels, tasks, { fittedOn: fittedOnOf(share), metrics: fusionMetrics(tasks, metric), decision });
    if (decision !== 'argmax' && !spec.tasks.some((f) => f.decision)) return [];
    const name = `fusion:${method}${decision === 'argmax' ? '' : `+${decision}`}`;
    return [{ method, name, decision, spec, ...scores(applyFusion(spec, members.map((m) => m.fit)), testLabels ? applyFusion(spec, members.map((m) => m.test!)) : null) }];
  }));
  const ofPlan = fusions.filter((f) => f.method === plan.fusion);
  const chosen = ofPlan.find((f) => f.decision === (plan.decision ?? 'argmax')) ?? ofPlan[0]!;
  const memberScores = members.map((m) => scores(m.fit, m.test));
  const entries: LeaderboardEntry[] = [
    ...members.map((m, i): LeaderboardEntry => ({ name: m.arch, kind: 'member', seconds: m.seconds, valid: memberScores[i]!.valid.scores, test: memberScores[i]!.test?.scores ?? null })),
    ...fusions.map((f) => fusionEntry(f.name, f.spec, { valid: f.valid.scores, test: f.test?.scores ?? null }, f === chosen)),
  ];
  const mainMetric = Object.fromEntries(Object.entries(fusions[0]!.valid.main).map(([k, v]) => [k, v.metric]));
  return { chosen, memberScores, leaderboard: { mainMetric, entries: rank(entries) } };
}

const fittedOnOf = (rows: FusionRows): FittedOn => (rows.source === 'out-of-fold' ? 'out-of-fold' : 'held-out');

/**
 * Where the members train and the fusion is fitted: bagged (--bag K), each member K times on the
 * other folds, the fusion on the out-of-fold predictions of every training row; else on the
 * training rows without a held-out share, the fusion on the share. The baseline trains as the members do.
 */
function memberSource(p: PreparedData, o: ResolvedTrainOptions, plan: FusedRunPlan, run: RunContext) {
  if (plan.bag) {
    const { folds, rows } = bagFolds(p, plan.bag, o.seed);
    return { share: rows, train: (arch: string) => bagMember(p, folds, o, arch, run), baselineData: p };
  }
  const share = fusionRows(p, plan.members.length, o.fusionShare ?? DEFAULT_FUSION_SHARE, o.seed);
  return { share: share as FusionRows, train: (arch: string) => heldOutMember(p, share, o, arch, run), baselineData: share.members };
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
  const run: RunContext = {
    data: typeof data === 'string' ? [data] : data, out, resume: hooks.resume ?? false,
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    ...(given.timeLimit !== undefined ? { deadline: started + given.timeLimit * 1000 } : {}),
  };
  const warnings = p.warnings.map((w) => w.message);
  const { share, train, baselineData } = memberSource(p, given, plan, run);
  const members = await trainMembers(train, given, plan, run, warnings);
  const testLabels = p.test?.labels ?? null;

  const { chosen, memberScores, leaderboard } = fitAndRank(members, share, tasks, testLabels, given.metric, plan);

  const baseline = await baselineScores(baselineData, given, members, memberScores, run);
  const fusedTest = chosen.test ?? chosen.valid;
  const report: TrainReport = {
    model: out,
    arch: `${plan.fusion}(${members.map((m) => m.arch).join(', ')})`,
    tasks: tasks.map((t) => t.name),
    mainMetric: leaderboard.mainMetric,
    seconds: (performance.now() - started) / 1000,
    warnings,
    leaderboard,
    fusion: { method: plan.fusion, fittedOn: fittedOnOf(share), rows: share.rows.length, on: share.source, ...(plan.bag ? { bag: plan.bag } : {}), ...(plan.decision ? { decision: plan.decision } : {}) },
    ...(chosen.test ? { test: chosen.test.scores.tasks } : {}),
    ...(baseline ? { singleTask: baseline.test.scores.tasks, baselineArch: baseline.arch, deltaM: compare({ valid: fusedTest.main }, { valid: baseline.test.main }), baselineSeconds: baseline.seconds } : {}),
  };

  const fused = fuseMembersOnnx(members.map((m) => m.onnx), chosen.spec, tasks);
  const onnx = exportOnnx(fused, tasks, VERSION);
  const join = await joinRecord(given);
  await saveModel(out, onnx, {
    ...formatFields(),
    tasks,
    plan: p.plan,
    members: members.map((m, i) => ({ arch: m.arch, seconds: m.seconds, probabilities: fused.memberProbabilities[i], onnxBytes: exportOnnx(m.onnx, tasks, VERSION).length, ...m.record })),
    fusion: { ...report.fusion!, ...(share.source === 'fusion share' ? { share: given.fusionShare ?? DEFAULT_FUSION_SHARE } : {}), spec: chosen.spec },
    ...(join ? { join } : {}),
    schema: p.schema,
    options: { ...withoutArch(given), members: members.map((m) => m.arch), fusion: plan.fusion, ...(plan.bag ? { bag: plan.bag } : {}), ...(plan.decision ? { decision: plan.decision } : {}) },
    metrics: {
      ...(chosen.test ? { evaluation: chosen.test.evaluations, evaluatedOn: p.testSource } : { evaluation: chosen.valid.evaluations, evaluatedOn: `${share.source} (in-sample)` }),
      leaderboard,
      ...(report.singleTask ? { singleTask: report.singleTask, baselineArch: report.baselineArch, deltaM: report.deltaM } : {}),
    },
    training: { seconds: (performance.now() - started) / 1000, members: members.map((m) => ({ arch: m.arch, seconds: m.seconds })) },
    versions: { polyhead: VERSION, node: process.versions.node },
    onnx: { file: 'model.onnx', inputs: modelInputsOf(p.plan, fused.inputs), outputs: tasks.map((t) => taskOutputs(t.name)) },
  });
  return report;
}
