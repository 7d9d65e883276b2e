/**
 * A FusionSpec as standard ONNX ops (Mul, Sum, Max, Log, Sub, Concat, MatMul, Add, Softmax,
 * Sigmoid) on the members' probability tensors, so model.onnx ends in the fusion and keeps a single
 * model's outputs: per task, float32 [batch, outputs] probabilities under the name the caller gives.
 */
import { OptionError } from '../errors.js';
import { FragmentBuilder } from '../features/onnx-builder.js';
import { makeNode, makeValueInfo, type OnnxFragment } from '../graph/onnx-proto.js';
import type { FusionSpec, StackFusion, TaskFusion, WeightedFusion } from './spec.js';
import { EPS } from './logistic.js';

export interface FusionOnnxInputs {
  /** `members[m][t]`: the tensor of member m's probabilities of task t, float32 [batch, outputs]. */
  members: string[][];
  /** The encoded numeric features [batch, P] a stack with passthrough reads. */
  passthrough?: string;
}

/** Σ_m w_m·p_m over the members with a weight; a lone member with weight 1 is passed on as it is. */
function weightedToOnnx(b: FragmentBuilder, f: WeightedFusion, probs: string[], output: string): void {
  const used = f.weights.flatMap((w, m) => (w === 0 ? [] : [m]));
  if (used.length === 1 && f.weights[used[0]!] === 1) {
    b.nodes.push(makeNode('Identity', [probs[used[0]!]!], [output]));
    return;
  }
  const terms = used.map((m) => b.op('Mul', [probs[m]!, b.constant(`${f.task}/w${m}`, 'float32', [], [f.weights[m]!])], `${f.task}/weighted${m}`));
  b.nodes.push(makeNode('Sum', terms, [output]));
}

function clippedLog(b: FragmentBuilder, p: string, eps: string, hint: string): string {
  return b.op('Log', [b.op('Max', [p, eps], `${hint}/clip`)], `${hint}/log`);
}

function stackToOnnx(b: FragmentBuilder, f: StackFusion, probs: string[], passthrough: string | undefined, width: number, output: string): void {
  const eps = b.constant(`${f.task}/eps`, 'float32', [], [EPS]);
  const k = f.outputs;
  if (f.link === 'softmax') {
    const parts = probs.map((p, m) => clippedLog(b, p, eps, `${f.task}/m${m}`));
    if (passthrough) parts.push(passthrough);
    const w = b.constant(`${f.task}/W`, 'float32', [probs.length * k + width, k], [...f.coefficients, ...f.passthrough]);
    const logits = b.op('Add', [b.op('MatMul', [b.concat(parts, `${f.task}/features`), w], `${f.task}/xW`), b.constant(`${f.task}/b`, 'float32', [k], f.intercepts)], `${f.task}/logits`);
    b.nodes.push(makeNode('Softmax', [logits], [output], { axis: 1 }));
    return;
  }
  const one = b.constant(`${f.task}/one`, 'float32', [], [1]);
  const terms = probs.map((p, m) => {
    const hint = `${f.task}/m${m}`;
    const logit = b.op('Sub', [clippedLog(b, p, eps, `${hint}/pos`), clippedLog(b, b.op('Sub', [one, p], `${hint}/complement`), eps, `${hint}/neg`)], `${hint}/logit`);
    return b.op('Mul', [logit, b.constant(`${hint}/a`, 'float32', [k], f.coefficients.slice(m * k, (m + 1) * k))], `${hint}/term`);
  });
  if (passthrough) terms.push(b.op('MatMul', [passthrough, b.constant(`${f.task}/V`, 'float32', [width, k], f.passthrough)], `${f.task}/xV`));
  terms.push(b.constant(`${f.task}/b`, 'float32', [k], f.intercepts));
  b.nodes.push(makeNode('Sigmoid', [b.op('Sum', terms, `${f.task}/logits`)], [output]));
}

/** q_c ∝ p_c·e^{o_c}: Mul by the float32 factors, then Div by the row sum. */
function decisionToOnnx(b: FragmentBuilder, f: TaskFusion, fused: string, output: string): void {
  const factors = b.constant(`${f.task}/decision`, 'float32', [f.outputs], f.decision!.offsets.map((o) => Math.fround(Math.exp(o))));
  const scaled = b.op('Mul', [fused, factors], `${f.task}/reweighted`);
  const sum = b.op('ReduceSum', [scaled, b.constant(`${f.task}/classAxis`, 'int64', [1], [1])], `${f.task}/rowSum`, { keepdims: 1 });
  b.nodes.push(makeNode('Div', [scaled, sum], [output]));
}

/** The fusion's nodes and constants; `outputs[t]` names task t's fused probabilities. */
export function fusionToOnnx(spec: FusionSpec, inputs: FusionOnnxInputs, outputs: string[], prefix = 'fusion/'): OnnxFragment {
  if (inputs.members.length !== spec.members || inputs.members.some((perTask) => perTask.length !== spec.tasks.length) || outputs.length !== spec.tasks.length) {
    throw new OptionError('fusion-onnx-inputs', `the fusion needs ${spec.members} members × ${spec.tasks.length} tasks of probability tensors and ${spec.tasks.length} output names`, {});
  }
  if (spec.passthrough > 0 && !inputs.passthrough) {
    throw new OptionError('fusion-onnx-inputs', `the stack reads ${spec.passthrough} passthrough features; name their tensor in inputs.passthrough`, {});
  }
  const b = new FragmentBuilder(prefix);
  const passthrough = spec.passthrough > 0 ? inputs.passthrough : undefined;
  spec.tasks.forEach((f, t) => {
    const probs = inputs.members.map((perTask) => perTask[t]!);
    const fused = f.decision ? b.name(`${f.task}/fused`) : outputs[t]!;
    if (f.kind === 'weighted') weightedToOnnx(b, f, probs, fused);
    else stackToOnnx(b, f, probs, passthrough, spec.passthrough, fused);
    if (f.decision) decisionToOnnx(b, f, fused, outputs[t]!);
  });
  return {
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [
      ...inputs.members.flatMap((perTask) => perTask.map((name, t) => makeValueInfo(name, 'float32', ['batch', spec.tasks[t]!.outputs]))),
      ...(passthrough ? [makeValueInfo(passthrough, 'float32', ['batch', spec.passthrough])] : []),
    ],
    outputs: spec.tasks.map((f, t) => makeValueInfo(outputs[t]!, 'float32', ['batch', f.outputs])),
  };
}
