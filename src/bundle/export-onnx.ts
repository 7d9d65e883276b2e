/**
 * The exported model: the feature plan's ONNX fragment (raw columns in) joined to the network with
 * its trained weights as constants, then per task the probabilities and the decoded label.
 * Standard ONNX plus ai.onnx.ml only, so any ONNX Runtime runs it.
 */
import { ModelError } from '../errors.js';
import { emitParts, Graph } from '../graph/index.js';
import { encodeModel, makeNode, makeTensor, makeValueInfo, ML_DOMAIN, type NodeProto, type TensorProto } from '../graph/onnx-proto.js';
import { featurePlanToOnnx, type FeaturePlan } from '../features/index.js';
import { BuildContext } from '../nn/context.js';
import { probabilities, probabilityOutput, type NetworkSpec } from '../train/network.js';

export interface TaskOutputs {
  task: string;
  /** [batch, classes] or [batch, labels] float32. */
  probabilities: string;
  /** Single-label: string [batch], the class name. Multi-label: int64 [batch, labels] of 0/1. */
  label: string;
}

export const taskOutputs = (task: string): TaskOutputs => ({ task, probabilities: `${task}.probabilities`, label: `${task}.label` });

export function exportOnnx(
  plan: FeaturePlan,
  spec: NetworkSpec,
  classes: string[][],
  params: ReadonlyMap<string, Float32Array>,
  version: string,
): Uint8Array {
  const fragment = featurePlanToOnnx(plan);
  const g = new Graph();
  const ctx = new BuildContext(g, false, { kind: 'frozen', values: params });
  for (const [name, t] of Object.entries(probabilities(spec)(ctx))) g.output(name, t);
  const net = emitParts(g, 'network');

  const rawNames = new Set(fragment.inputs.map((i) => i.name));
  const nodes: NodeProto[] = [...fragment.nodes, ...net.nodes];
  const initializers: TensorProto[] = [...fragment.initializers, ...net.initializers];
  const outputs = spec.tasks.flatMap((task, t) => {
    const names = taskOutputs(task.name);
    for (const n of [names.probabilities, names.label]) {
      if (rawNames.has(n)) throw new ModelError('output-name-clash', `the output '${n}' has the name of an input column; rename that column`);
    }
    const prob = probabilityOutput(t);
    nodes.push(makeNode('Identity', [prob], [names.probabilities], {}, `out/${task.name}/probabilities`));
    if (task.type === 'multilabel') {
      const threshold = `out/${task.name}/threshold`;
      initializers.push(makeTensor(threshold, 'float32', [], [0.5]));
      nodes.push(makeNode('Greater', [prob, threshold], [`out/${task.name}/on`], {}, `out/${task.name}/greater`));
      nodes.push(makeNode('Cast', [`out/${task.name}/on`], [names.label], { to: 7 }, `out/${task.name}/cast`));
      return [makeValueInfo(names.probabilities, 'float32', ['batch', task.outputs]), makeValueInfo(names.label, 'int64', ['batch', task.outputs])];
    }
    const index = `out/${task.name}/index`;
    nodes.push(makeNode('ArgMax', [prob], [index], { axis: 1, keepdims: 0 }, `out/${task.name}/argmax`));
    const keys = makeTensor('keys_tensor', 'int64', [classes[t]!.length], classes[t]!.map((_, i) => i));
    const values = makeTensor('values_tensor', 'string', [classes[t]!.length], classes[t]!);
    const fallback = makeTensor('default_tensor', 'string', [1], ['']);
    nodes.push(makeNode('LabelEncoder', [index], [names.label], { keys_tensor: keys, values_tensor: values, default_tensor: fallback }, `out/${task.name}/decode`, ML_DOMAIN));
    return [makeValueInfo(names.probabilities, 'float32', ['batch', task.outputs]), makeValueInfo(names.label, 'string', ['batch'])];
  });

  return encodeModel({
    name: 'polyhead',
    nodes,
    initializers,
    inputs: fragment.inputs,
    outputs,
    metadata: { 'polyhead.version': version, 'polyhead.tasks': spec.tasks.map((t) => t.name).join(',') },
  });
}
