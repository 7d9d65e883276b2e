/**
 * Cutting one built graph into two ONNX models at the point where the task coefficients enter:
 * part A holds every node that does not depend on the coefficients (or the optimizer's inputs),
 * part B the rest. Tensors of A that B reads become outputs of A and inputs of B, so B continues
 * from A's activations instead of running the forward pass again.
 */
import { Graph, inputName, type Node, type Tensor } from '../graph/index.js';

export const crossName = (t: Tensor): string => `cut:${t.id}`;

/** Copies `nodes` (in order) into a new graph; what they read from elsewhere becomes an input. */
function copyNodes(nodes: Node[], external: (t: Tensor) => string): { graph: Graph; map: Map<number, Tensor> } {
  const graph = new Graph();
  const map = new Map<number, Tensor>();
  const lift = (t: Tensor): Tensor => {
    const hit = map.get(t.id);
    if (hit) return hit;
    const copy = t.source.kind === 'const'
      ? graph.constant(t.source.data, t.dtype, [...t.shape])
      : graph.input(t.source.kind === 'input' ? inputName(t) : external(t), t.dtype, [...t.shape]);
    map.set(t.id, copy);
    return copy;
  };
  for (const node of nodes) {
    const outs = graph.addNode(node.op, node.inputs.map(lift), node.attrs, node.outputs.map((o) => ({ dtype: o.dtype, shape: o.shape })));
    node.outputs.forEach((o, i) => map.set(o.id, outs[i]!));
  }
  return { graph, map };
}

/**
 * Splits `g` below `late` (the inputs whose values are known only after part A has run). Part A
 * outputs `earlyOutputs` and the tensors B needs; part B outputs `lateOutputs`.
 */
export function splitAt(g: Graph, late: Tensor[], earlyOutputs: Record<string, Tensor>, lateOutputs: Record<string, Tensor>): { a: Graph; b: Graph } {
  const inLate = new Set(late.map((t) => t.id));
  const lateNodes: Node[] = [];
  const earlyNodes: Node[] = [];
  for (const node of g.nodes) {
    if (node.inputs.some((t) => inLate.has(t.id))) {
      lateNodes.push(node);
      for (const o of node.outputs) inLate.add(o.id);
    } else earlyNodes.push(node);
  }
  const crossing = new Map<number, Tensor>();
  const b = copyNodes(lateNodes, (t) => (crossing.set(t.id, t), crossName(t)));
  for (const [name, t] of Object.entries(lateOutputs)) b.graph.output(name, b.map.get(t.id) ?? t);
  const a = copyNodes(earlyNodes, (t) => inputName(t));
  for (const [name, t] of Object.entries(earlyOutputs)) a.graph.output(name, a.map.get(t.id)!);
  for (const t of crossing.values()) a.graph.output(crossName(t), a.map.get(t.id)!);
  return { a: a.graph, b: b.graph };
}
