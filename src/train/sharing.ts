/**
 * What the tasks share, read from the training graph itself rather than from parameter names, so
 * it holds for every architecture: a tensor serves task t when loss t depends on it. Shared
 * parameters serve two or more tasks (trunk, experts, shared gates, cross-stitch units); the shared
 * representation is the last tensors that serve several tasks and are read by nodes serving fewer
 * (the trunk's output, the experts' outputs, the stitched columns).
 */
import { GraphError } from '../errors.js';
import type { Graph, Tensor } from '../graph/index.js';

const MAX_TASKS = 30;

const popcount = (m: number): number => {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
};

/** Bit t of a tensor's mask is set when loss t depends on it (one backward walk; nodes are topologically ordered). */
export function taskMasks(graph: Graph, losses: Tensor[]): Map<number, number> {
  if (losses.length > MAX_TASKS) throw new GraphError('too-many-tasks', `gradient balancing supports up to ${MAX_TASKS} tasks, got ${losses.length}`);
  const mask = new Map<number, number>();
  losses.forEach((l, t) => mask.set(l.id, (mask.get(l.id) ?? 0) | (1 << t)));
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    const m = node.outputs.reduce((a, o) => a | (mask.get(o.id) ?? 0), 0);
    if (m) for (const x of node.inputs) mask.set(x.id, (mask.get(x.id) ?? 0) | m);
  }
  return mask;
}

export const servesSeveral = (masks: Map<number, number>, t: Tensor): boolean => popcount(masks.get(t.id) ?? 0) >= 2;

/** Ids of the tensors computed from `source` (forward reachability). */
function descendants(graph: Graph, source: Tensor): Set<number> {
  const reached = new Set([source.id]);
  for (const node of graph.nodes) if (node.inputs.some((x) => reached.has(x.id))) for (const o of node.outputs) reached.add(o.id);
  return reached;
}

function ancestors(graph: Graph, of: Tensor): Set<number> {
  const needed = new Set([of.id]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (node.outputs.some((o) => needed.has(o.id))) for (const x of node.inputs) needed.add(x.id);
  }
  needed.delete(of.id);
  return needed;
}

/** The last parameter-dependent tensors serving several tasks that feed nodes serving fewer. */
export function sharedRepresentation(graph: Graph, masks: Map<number, number>, params: Tensor): Tensor[] {
  const fromParams = descendants(graph, params);
  const frontier = new Map<number, Tensor>();
  for (const node of graph.nodes) {
    const outMask = node.outputs.reduce((a, o) => a | (masks.get(o.id) ?? 0), 0);
    for (const x of node.inputs) {
      const m = masks.get(x.id) ?? 0;
      if (x.source.kind === 'node' && fromParams.has(x.id) && popcount(m) >= 2 && popcount(outMask) < popcount(m)) frontier.set(x.id, x);
    }
  }
  const candidates = [...frontier.values()];
  const below = new Set<number>();
  for (const f of candidates) for (const id of ancestors(graph, f)) below.add(id);
  return candidates.filter((f) => !below.has(f.id));
}
