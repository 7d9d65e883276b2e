/**
 * The exported model: a member's ONNX nodes (the feature plan's fragment from the raw columns, then
 * the network or the trees, ending in one probability tensor per task), then per task the
 * probabilities and the decoded label as plain outputs. Standard ONNX plus ai.onnx.ml only, so any
 * ONNX Runtime runs it. The bundle takes the member already built, so it depends on no trainer.
 */
import type { Task } from '../data/schema.js';
import { ModelError } from '../errors.js';
import { encodeModel, makeNode, makeTensor, makeValueInfo, ML_DOMAIN, type NodeProto, type TensorProto, type ValueInfoProto } from '../graph/onnx-proto.js';

export interface TaskOutputs {
  task: string;
  /** [batch, classes] or [batch, labels] float32. */
  probabilities: string;
  /** Single-label: string [batch], the class name. Multi-label: int64 [batch, labels] of 0/1. */
  label: string;
}

export const taskOutputs = (task: string): TaskOutputs => ({ task, probabilities: `${task}.probabilities`, label: `${task}.label` });

/** A member as ONNX: raw column inputs in, per task (in task order) the name of its probability tensor. */
export interface MemberOnnx {
  inputs: ValueInfoProto[];
  nodes: NodeProto[];
  initializers: TensorProto[];
  probabilities: string[];
}

function decodeLabel(task: Task, prob: string, label: string, nodes: NodeProto[], initializers: TensorProto[]): ValueInfoProto[] {
  const k = task.classes.length;
  if (task.type === 'multilabel') {
    const threshold = `out/${task.name}/threshold`;
    initializers.push(makeTensor(threshold, 'float32', [], [0.5]));
    nodes.push(makeNode('Greater', [prob, threshold], [`out/${task.name}/on`], {}, `out/${task.name}/greater`));
    nodes.push(makeNode('Cast', [`out/${task.name}/on`], [label], { to: 7 }, `out/${task.name}/cast`));
    return [makeValueInfo(label, 'int64', ['batch', k])];
  }
  const index = `out/${task.name}/index`;
  nodes.push(makeNode('ArgMax', [prob], [index], { axis: 1, keepdims: 0 }, `out/${task.name}/argmax`));
  const keys = makeTensor('keys_tensor', 'int64', [k], task.classes.map((_, i) => i));
  const values = makeTensor('values_tensor', 'string', [k], task.classes);
  const fallback = makeTensor('default_tensor', 'string', [1], ['']);
  nodes.push(makeNode('LabelEncoder', [index], [label], { keys_tensor: keys, values_tensor: values, default_tensor: fallback }, `out/${task.name}/decode`, ML_DOMAIN));
  return [makeValueInfo(label, 'string', ['batch'])];
}

export function exportOnnx(member: MemberOnnx, tasks: Task[], version: string): Uint8Array {
  const rawNames = new Set(member.inputs.map((i) => i.name));
  const nodes = [...member.nodes];
  const initializers = [...member.initializers];
  const outputs = tasks.flatMap((task, t) => {
    const names = taskOutputs(task.name);
    for (const n of [names.probabilities, names.label]) {
      if (rawNames.has(n)) throw new ModelError('output-name-clash', `the output '${n}' has the name of an input column; rename that column`);
    }
    const prob = member.probabilities[t]!;
    nodes.push(makeNode('Identity', [prob], [names.probabilities], {}, `out/${task.name}/probabilities`));
    return [makeValueInfo(names.probabilities, 'float32', ['batch', task.classes.length]), ...decodeLabel(task, prob, names.label, nodes, initializers)];
  });
  return encodeModel({
    name: 'polyhead',
    nodes,
    initializers,
    inputs: member.inputs,
    outputs,
    metadata: { 'polyhead.version': version, 'polyhead.tasks': tasks.map((t) => t.name).join(',') },
  });
}
