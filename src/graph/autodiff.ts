/**
 * Reverse-mode differentiation over the graph: walk nodes backwards (insertion order is a
 * topological order), ask each op for its vector-Jacobian product, and sum gradients that fan in.
 */
import { GraphError } from '../errors.js';
import type { Node, Tensor } from './graph.js';
import { opDef } from './op.js';
import { add } from './ops/arith.js';
import { broadcastTo } from './ops/reduce-shape.js';

/**
 * Gradients of `y` with respect to each of `wrt`. `y` is usually a scalar loss; otherwise `seed`
 * (shaped like y) gives the vector in the vector-Jacobian product. A tensor `y` does not depend on
 * gets a zero gradient.
 */
export function grad(y: Tensor, wrt: Tensor[], seed?: Tensor): Tensor[] {
  const g = y.graph;
  if (!seed && y.rank !== 0) {
    throw new GraphError('non-scalar-grad', `grad: ${y} is not a scalar; reduce it first or pass a seed`);
  }
  const targets = new Set(wrt.map((t) => t.id));
  const dependsOnWrt = new Set<number>(targets);
  for (const node of g.nodes) {
    if (node.inputs.some((t) => dependsOnWrt.has(t.id))) for (const o of node.outputs) dependsOnWrt.add(o.id);
  }

  const grads = new Map<number, Tensor>();
  grads.set(y.id, seed ?? g.constant(1, y.dtype));
  const accumulate = (t: Tensor, gt: Tensor): void => {
    const prev = grads.get(t.id);
    grads.set(t.id, prev ? add(prev, gt) : gt);
  };

  const yNodeIndex = y.source.kind === 'node' ? g.nodes.indexOf(y.source.node) : -1;
  for (let i = yNodeIndex; i >= 0; i--) {
    const node: Node = g.nodes[i]!;
    const outGrads = node.outputs.map((o) => grads.get(o.id) ?? null);
    if (outGrads.every((x) => x === null)) continue;
    if (!node.inputs.some((t) => dependsOnWrt.has(t.id))) continue;
    const def = opDef(node.op);
    if (!def.vjp) {
      throw new GraphError('not-differentiable', `grad: op '${node.op}' has no gradient, but the loss depends on a parameter through it`, { op: node.op });
    }
    const inGrads = def.vjp(node, outGrads);
    node.inputs.forEach((t, k) => {
      const gt = inGrads[k];
      if (gt && dependsOnWrt.has(t.id)) accumulate(t, gt);
    });
  }
  return wrt.map((t) => grads.get(t.id) ?? broadcastTo(g.constant(0, t.dtype), t));
}
