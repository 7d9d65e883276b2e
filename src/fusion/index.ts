/**
 * Fusion methods by name (adding one is its file and a line here), and the two entry points that
 * check their arguments once: `fitFusion` (members' validation probabilities → FusionSpec) and
 * `applyFusion` (FusionSpec + members' probabilities → fused probabilities, in JS).
 */
import type { Task, TaskLabels } from '../data/schema.js';
import { OptionError } from '../errors.js';
import { best } from './best.js';
import { parseFusionOptions, type FusionMethod, type FusionOptions, type Passthrough, type TaskInput } from './fusion.js';
import { auto } from './auto.js';
import { mean } from './mean.js';
import { select } from './select.js';
import type { FusionSpec } from './spec.js';
import { stack } from './stack.js';
import { applyTask, fitTask } from './task-fusion.js';

export type * from './fusion.js';
export type * from './spec.js';
export { fusionOptionsSchema, parseFusionOptions } from './fusion.js';
export { FITTED_ON, fusionSpecSchema, parseFusionSpec } from './spec.js';
export { fusionToOnnx, type FusionOnnxInputs } from './onnx.js';
export { labelsAt, outOfFold, type OutOfFold } from './out-of-fold.js';

const registry: readonly FusionMethod[] = [mean, select, stack, best, auto];

export const FUSION_METHODS: readonly string[] = registry.map((m) => m.name);

export function getFusionMethod(name: string): FusionMethod {
  const method = registry.find((m) => m.name === name);
  if (!method) {
    throw new OptionError('unknown-fusion', `unknown fusion method '${name}'; choose one of: ${FUSION_METHODS.join(', ')}`, { value: name, allowed: [...FUSION_METHODS] });
  }
  return method;
}

const rowsOf = (labels: TaskLabels): number => (labels.type === 'multilabel' ? labels.mask.length : labels.classIndex.length);

function shapeError(message: string, details: Record<string, unknown>): never {
  throw new OptionError('fusion-shape', message, details);
}

/** Every member predicts every task on the same rows, with one column per class (or label). */
function checkMembers(members: readonly Float32Array[][], tasks: readonly Task[], rows: number): void {
  if (members.length === 0) throw new OptionError('fusion-no-members', 'fusion needs at least one member', {});
  members.forEach((perTask, m) => {
    if (perTask.length !== tasks.length) shapeError(`member ${m} predicts ${perTask.length} tasks; expected ${tasks.length} (${tasks.map((t) => t.name).join(', ')})`, { member: m });
    tasks.forEach((task, t) => {
      const expected = rows * task.classes.length;
      const p = perTask[t]!;
      if (p.length !== expected) {
        shapeError(`member ${m} has ${p.length} probabilities for task '${task.name}'; expected ${rows} rows × ${task.classes.length} classes = ${expected}`, { member: m, task: task.name });
      }
      const bad = p.findIndex((v) => !(v >= 0 && v <= 1));
      if (bad >= 0) {
        throw new OptionError('fusion-bad-probability', `member ${m} gives ${p[bad]} for task '${task.name}' at row ${Math.floor(bad / task.classes.length)}; probabilities must be finite and within [0, 1]`, { member: m, task: task.name, row: Math.floor(bad / task.classes.length) });
      }
    });
  });
}

function checkPassthrough(passthrough: Passthrough | undefined, rows: number): void {
  if (passthrough && (!Number.isInteger(passthrough.width) || passthrough.width < 1 || passthrough.values.length !== rows * passthrough.width)) {
    shapeError(`passthrough features have ${passthrough.values.length} values; expected ${rows} rows × width ${passthrough.width}`, { width: passthrough.width });
  }
}

/**
 * Fits fusion `method` per task on the members' probabilities of the same validation rows:
 * `members[m][t]` is member m's [rows × classes] for task t; `labels[t]` task t's labels of those rows.
 */
export function fitFusion(
  method: string,
  members: readonly Float32Array[][],
  labels: readonly TaskLabels[],
  tasks: readonly Task[],
  options: FusionOptions,
  passthrough?: Passthrough,
): FusionSpec {
  const fusion = getFusionMethod(method);
  const resolved = parseFusionOptions(options);
  if (tasks.length === 0) throw new OptionError('fusion-no-tasks', 'fusion needs at least one task', {});
  tasks.forEach((task, t) => {
    const l = labels[t];
    if (!l || l.task !== task.name || (l.type === 'multilabel') !== (task.type === 'multilabel')) {
      shapeError(`labels[${t}] are not those of task '${task.name}' (${task.type}); give the labels in the order of the tasks`, { task: task.name });
    }
  });
  const rows = rowsOf(labels[0]!);
  if (labels.some((l) => rowsOf(l) !== rows)) shapeError(`the tasks' labels cover different numbers of rows: ${labels.map(rowsOf).join(', ')}`, {});
  checkMembers(members, tasks, rows);
  checkPassthrough(passthrough, rows);
  if (passthrough && fusion.name !== 'stack') {
    throw new OptionError('fusion-passthrough', `passthrough features are read only by 'stack', not by '${fusion.name}'`, { method: fusion.name });
  }
  return {
    method: fusion.name,
    members: members.length,
    passthrough: passthrough?.width ?? 0,
    fittedOn: resolved.fittedOn,
    rows,
    tasks: tasks.map((task, t) => {
      const input: TaskInput = { task, labels: labels[t]!, members: members.map((p) => p[t]!), rows, width: task.classes.length, ...(passthrough ? { passthrough } : {}) };
      return fitTask(fusion, input, resolved);
    }),
  };
}

/** The fused probabilities per task, [rows × outputs] each, from the members' probabilities of any rows. */
export function applyFusion(spec: FusionSpec, members: readonly Float32Array[][], passthrough?: Passthrough): Float32Array[] {
  if (members.length !== spec.members) shapeError(`the fusion combines ${spec.members} members; got predictions of ${members.length}`, { expected: spec.members, got: members.length });
  const rows = (members[0]![0]?.length ?? 0) / spec.tasks[0]!.outputs;
  members.forEach((perTask, m) =>
    spec.tasks.forEach((f, t) => {
      if (perTask[t]?.length !== rows * f.outputs) shapeError(`member ${m} has ${perTask[t]?.length ?? 0} probabilities for task '${f.task}'; expected ${rows} rows × ${f.outputs}`, { member: m, task: f.task });
    }),
  );
  if (spec.passthrough > 0) {
    if (passthrough?.width !== spec.passthrough) shapeError(`the stack reads ${spec.passthrough} passthrough features; got ${passthrough?.width ?? 'none'}`, { expected: spec.passthrough });
    checkPassthrough(passthrough, rows);
  }
  return spec.tasks.map((f, t) => applyTask(f, members.map((p) => p[t]!), rows, spec.passthrough > 0 ? passthrough : undefined));
}
