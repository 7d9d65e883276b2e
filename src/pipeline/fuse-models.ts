/**
 * `polyhead fuse`: saved model folders fused into one. The members must predict the same tasks with
 * the same classes from the same feature plan (else the fused graph would mix encodings), and the
 * fusion is fitted on rows the user holds out from every member's training: this code cannot check
 * that, so the command says it. model.onnx merges the members' saved graphs by value, as a fused
 * training run does.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fuseMembersOnnx } from '../bundle/compose-members.js';
import { exportOnnx, taskOutputs, type MemberOnnx } from '../bundle/export-onnx.js';
import { formatFields } from '../bundle/metadata.js';
import { sha256 } from '../bundle/folder-check.js';
import { PolyheadModel } from '../bundle/model.js';
import { readTable } from '../data/read.js';
import { saveModel } from '../bundle/save.js';
import { encodeLabels } from '../data/labels.js';
import type { Task, TaskLabels } from '../data/schema.js';
import type { Table } from '../data/table.js';
import { DataError, ModelError, OptionError } from '../errors.js';
import { modelInputsOf } from '../features/index.js';
import { applyFusion, fitFusion, FUSION_METHODS, getFusionMethod } from '../fusion/index.js';
import { decodeModel } from '../graph/onnx-proto.js';
import { VERSION } from '../version.js';
import { evaluate, fusionEntry, rank, type Leaderboard, type LeaderboardEntry } from './leaderboard.js';

export interface FuseInput {
  models: PolyheadModel[];
  /** Labelled rows none of the members was trained or early-stopped on. */
  data: Table;
  /** Optional labelled rows to compare members and fusions on, unseen by members and fusion. */
  test: Table | null;
  /** The model.onnx bytes of each member, as loaded. */
  onnx: Uint8Array[];
  method: string;
  /** How single-label macro-F1 tasks decide the label (fusion/decision.ts); default argmax. */
  decision?: 'argmax' | 'macro-f1';
  out: string;
}

export interface FuseReport {
  model: string;
  method: string;
  rows: number;
  tasks: string[];
  leaderboard: Leaderboard;
}

const sameTask = (a: Task, b: Task): string | null => {
  if (a.name !== b.name) return `task '${b.name}' where the first model has '${a.name}'`;
  if (a.type !== b.type) return `task '${a.name}' is ${b.type}, not ${a.type}`;
  if (a.classes.join('\u0000') !== b.classes.join('\u0000')) return `task '${a.name}' has classes ${b.classes.join(', ')}, not ${a.classes.join(', ')}`;
  return null;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 60));

/** The first way plan `b` differs from plan `a`: the column whose encoding differs, or the option. */
function planDifference(a: unknown, b: unknown, path = 'plan'): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    const steps = [...a, ...b] as { column?: unknown }[];
    const byColumn = (list: unknown[], column: unknown) => list.find((t) => isRecord(t) && t.column === column);
    const differing = steps.find((s) => isRecord(s) && JSON.stringify(byColumn(a, s.column)) !== JSON.stringify(byColumn(b, s.column)));
    if (differing && typeof differing.column === 'string') return `the ${path} encoding of column '${differing.column}' differs`;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const inner = planDifference(a[key], b[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  return `${path} is ${shown(b)}, not ${shown(a)}`;
}

/** Refuses members that do not predict the same tasks from the same plan, naming the mismatch. */
export function checkFusable(models: readonly PolyheadModel[]): void {
  const [first, ...rest] = models;
  rest.forEach((m) => {
    const refuse = (what: string): never => {
      throw new ModelError('fuse-mismatch', `${m.dir} cannot be fused with ${first!.dir}: ${what}; fuse models trained on the same data with the same tasks and feature options`, { model: m.dir, first: first!.dir });
    };
    if (m.meta.tasks.length !== first!.meta.tasks.length) refuse(`it predicts ${m.meta.tasks.length} tasks (${m.meta.tasks.map((t) => t.name).join(', ')}), not ${first!.meta.tasks.length}`);
    first!.meta.tasks.forEach((t, i) => {
      const problem = sameTask(t, m.meta.tasks[i]!);
      if (problem) refuse(problem);
    });
    const problem = planDifference(first!.meta.plan, m.meta.plan);
    if (problem) refuse(problem);
  });
}

function labelsOf(table: Table, tasks: readonly Task[]): TaskLabels[] {
  const present = new Set(table.columns.map((c) => c.name));
  return tasks.map((task) => {
    const missing = task.columns.find((c) => !present.has(c));
    if (missing) throw new DataError('missing-label-column', `task '${task.name}' needs column '${missing}' to fit the fusion; it is not in the file`, { file: table.source, column: missing });
    return encodeLabels(table, task, task.classes).labels;
  });
}

function memberOnnx(model: PolyheadModel, bytes: Uint8Array): MemberOnnx {
  const graph = decodeModel(bytes).graph!;
  return { inputs: graph.input ?? [], nodes: graph.node ?? [], initializers: graph.initializer ?? [], probabilities: model.meta.onnx.outputs.map((o) => o.probabilities) };
}

const archOf = (m: PolyheadModel): string => String(m.meta.options.arch ?? (m.meta.fusion ? `fused ${m.meta.fusion.method}` : 'model'));

const probabilitiesOf = async (m: PolyheadModel, table: Table): Promise<Float32Array[]> => (await m.predict(table)).map((p) => p.probabilities);

export async function fuseModels(input: FuseInput): Promise<FuseReport> {
  const { models, data, test, method } = input;
  if (models.length < 2) throw new OptionError('fuse-one-model', `fuse needs at least two model folders; got ${models.length}`, { models: models.length });
  getFusionMethod(method);
  checkFusable(models);
  const meta = models[0]!.meta;
  const tasks = meta.tasks;
  const labels = labelsOf(data, tasks);
  const testLabels = test ? labelsOf(test, tasks) : null;
  const fitProbs = await Promise.all(models.map((m) => probabilitiesOf(m, data)));
  const testProbs = test ? await Promise.all(models.map((m) => probabilitiesOf(m, test))) : null;
  const score = (fit: Float32Array[], held: Float32Array[] | null) => ({ valid: evaluate(tasks, labels, fit).scores, test: held && testLabels ? evaluate(tasks, testLabels, held).scores : null });
  const names = models.map((m) => `${basename(m.dir)} (${archOf(m)})`);
  const fitted = FUSION_METHODS.map((name) => ({ name, spec: fitFusion(name, fitProbs, labels, tasks, { fittedOn: 'held-out', decision: input.decision ?? 'argmax' }) }));
  const entries: LeaderboardEntry[] = [
    ...models.map((_, i): LeaderboardEntry => ({ name: names[i]!, kind: 'member', ...score(fitProbs[i]!, testProbs?.[i] ?? null) })),
    ...fitted.map((f) => fusionEntry(`fusion:${f.name}`, f.spec, score(applyFusion(f.spec, fitProbs), testProbs ? applyFusion(f.spec, testProbs) : null), f.name === method)),
  ];
  const chosen = fitted.find((f) => f.name === method)!;
  const leaderboard: Leaderboard = { mainMetric: Object.fromEntries(tasks.map((t) => [t.name, evaluate(tasks, labels, fitProbs[0]!).main[t.name]!.metric])), entries: rank(entries) };

  const fused = fuseMembersOnnx(models.map((m, i) => memberOnnx(m, input.onnx[i]!)), chosen.spec, tasks);
  const onnx = exportOnnx(fused, tasks, VERSION);
  const chosenTest = testProbs && testLabels ? evaluate(tasks, testLabels, applyFusion(chosen.spec, testProbs)) : null;
  await saveModel(input.out, onnx, {
    ...formatFields(),
    tasks,
    plan: meta.plan,
    members: models.map((m, i) => ({ arch: archOf(m), folder: m.dir, sha256: m.meta.files['model.onnx']!.sha256, name: names[i], probabilities: fused.memberProbabilities[i], onnxBytes: input.onnx[i]!.length })),
    fusion: { method, fittedOn: 'held-out', rows: data.rowCount, data: data.source, ...(input.decision ? { decision: input.decision } : {}), spec: chosen.spec },
    schema: meta.schema,
    options: { ...meta.options, members: models.map((m) => m.dir), fusion: method },
    metrics: { leaderboard, ...(chosenTest && test ? { evaluation: chosenTest.evaluations, evaluatedOn: test.source } : {}) },
    training: { fusedFrom: models.map((m) => m.dir) },
    versions: { polyhead: VERSION, node: process.versions.node },
    onnx: { file: 'model.onnx', inputs: modelInputsOf(models[0]!.plan, fused.inputs), outputs: tasks.map((t) => taskOutputs(t.name)) },
  });
  return { model: input.out, method, rows: data.rowCount, tasks: tasks.map((t) => t.name), leaderboard };
}

/** A member's model.onnx as fused: the bytes model.json vouches for. */
export async function savedOnnx(model: PolyheadModel): Promise<Uint8Array> {
  const bytes = await readFile(join(model.dir, 'model.onnx'));
  if (sha256(bytes) !== model.meta.files['model.onnx']?.sha256) throw new ModelError('model-checksum', `${join(model.dir, 'model.onnx')} changed while fusing; run fuse again`);
  return bytes;
}

export interface FuseFoldersOptions {
  /** Labelled rows none of the members was trained or early-stopped on (a table, or a file read with default settings). */
  data: Table | string;
  /** Labelled rows to compare members and fusions on, unseen by both. */
  test?: Table | string;
  /** A fusion method (FUSION_METHODS); default select. */
  method?: string;
  decision?: 'argmax' | 'macro-f1';
  /** The model folder to write. */
  out: string;
}

const tableOf = async (t: Table | string): Promise<Table> => (typeof t === 'string' ? readTable(t) : t);

/** The library's `polyhead fuse`: saved model folders fused into one folder at `options.out`. */
export async function fuseModelFolders(dirs: readonly string[], options: FuseFoldersOptions): Promise<FuseReport> {
  const method = options.method ?? 'select';
  getFusionMethod(method);
  const models: PolyheadModel[] = [];
  try {
    for (const dir of dirs) models.push(await PolyheadModel.load(dir));
    const onnx = await Promise.all(models.map(savedOnnx));
    const test = options.test === undefined ? null : await tableOf(options.test);
    return await fuseModels({ models, onnx, data: await tableOf(options.data), test, method, out: options.out, ...(options.decision ? { decision: options.decision } : {}) });
  } finally {
    for (const m of models) await m.release();
  }
}
