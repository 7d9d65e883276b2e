/**
 * Several members as one graph, ending in their fusion. Members trained on the same feature plan
 * emit the same preprocessing nodes, so the graphs are merged by value: a node whose op, attributes
 * and (already merged) inputs equal an earlier one's is the same computation and is kept once, as is
 * a constant with the same bytes. What stays apart is renamed under its member's prefix (`m0/`,
 * `m1/`, ...) so no two members' tensors clash; the raw column inputs are shared by name. Then only
 * what the fused outputs need is kept (a member read from a saved folder brings its own label
 * decoding, which the fused model replaces).
 */
import { createHash } from 'node:crypto';
import type { Task } from '../data/schema.js';
import { ModelError } from '../errors.js';
import { fusionToOnnx, type FusionSpec } from '../fusion/index.js';
import { onnx, type NodeProto, type TensorProto, type ValueInfoProto } from '../graph/onnx-proto.js';
import type { MemberOnnx } from './export-onnx.js';

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const memberPrefix = (m: number): string => `m${m}/`;

/** The union of the members' raw inputs; a column must have one type in every member. */
function sharedInputs(members: readonly MemberOnnx[]): ValueInfoProto[] {
  const byName = new Map<string, ValueInfoProto>();
  members.forEach((member, m) =>
    member.inputs.forEach((input) => {
      const seen = byName.get(input.name!);
      if (!seen) byName.set(input.name!, input);
      else if (seen.type?.tensorType?.elemType !== input.type?.tensorType?.elemType) {
        throw new ModelError('member-input-clash', `member ${m} reads column '${input.name}' with another type than an earlier member; members must be trained on the same feature plan`, { member: m, column: input.name });
      }
    }),
  );
  return [...byName.values()];
}

export interface MergedMembers {
  inputs: ValueInfoProto[];
  nodes: NodeProto[];
  initializers: TensorProto[];
  /** `probabilities[m][t]`: the merged graph's tensor of member m's probabilities of task t. */
  probabilities: string[][];
}

/** The members' nodes and constants merged by value. */
export function mergeMembers(members: readonly MemberOnnx[]): MergedMembers {
  const inputs = sharedInputs(members);
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const byValue = new Map<string, string[]>();
  const probabilities = members.map((member, m) => {
    const prefix = memberPrefix(m);
    const local = new Map<string, string>(inputs.map((i) => [i.name!, i.name!]));
    const resolve = (name: string): string => {
      if (name === '') return '';
      const found = local.get(name);
      if (found === undefined) throw new ModelError('member-graph', `member ${m}'s graph reads '${name}' before any node makes it; the member's ONNX is damaged`, { member: m, tensor: name });
      return found;
    };
    for (const t of member.initializers) {
      const key = `c:${digest(onnx.TensorProto.encode({ ...t, name: '' }).finish())}`;
      const existing = byValue.get(key);
      if (existing) local.set(t.name!, existing[0]!);
      else {
        const renamed = prefix + t.name!;
        initializers.push({ ...t, name: renamed });
        byValue.set(key, [renamed]);
        local.set(t.name!, renamed);
      }
    }
    for (const node of member.nodes) {
      const input = (node.input ?? []).map(resolve);
      const outs = node.output ?? [];
      const key = `n:${digest(onnx.NodeProto.encode({ ...node, name: '', input, output: outs.map(() => '') }).finish())}`;
      const existing = byValue.get(key);
      if (existing) outs.forEach((o, i) => local.set(o, existing[i]!));
      else {
        const output = outs.map((o) => (o === '' ? '' : prefix + o));
        nodes.push({ ...node, name: prefix + (node.name ?? ''), input, output });
        byValue.set(key, output);
        outs.forEach((o, i) => local.set(o, output[i]!));
      }
    }
    return member.probabilities.map(resolve);
  });
  return { inputs, nodes, initializers, probabilities };
}

/** Only the nodes and constants that `outputs` depend on, in their order. */
export function prune(nodes: NodeProto[], initializers: TensorProto[], outputs: string[]): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const needed = new Set(outputs);
  const kept: NodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    kept.push(node);
    for (const input of node.input ?? []) needed.add(input);
  }
  return { nodes: kept.reverse(), initializers: initializers.filter((t) => needed.has(t.name!)) };
}

/**
 * The members merged, then the fusion per task: a MemberOnnx with the fused probabilities, for
 * exportOnnx, and the names each member's probabilities keep inside it (model.json records them, so
 * a member can be cut out of the fused graph again); null where the fusion gives the member no
 * weight for the task, so its nodes for it are not in the graph.
 */
export function fuseMembersOnnx(members: readonly MemberOnnx[], spec: FusionSpec, tasks: readonly Task[]): MemberOnnx & { memberProbabilities: (string | null)[][] } {
  if (members.length !== spec.members) throw new ModelError('fusion-members', `the fusion combines ${spec.members} members; got ${members.length} graphs`);
  const merged = mergeMembers(members);
  const outputs = tasks.map((t) => `fusion/${t.name}/probabilities`);
  const fusion = fusionToOnnx(spec, { members: merged.probabilities }, outputs);
  const { nodes, initializers } = prune([...merged.nodes, ...fusion.nodes], [...merged.initializers, ...fusion.initializers], outputs);
  const made = new Set(nodes.flatMap((n) => n.output ?? []));
  const memberProbabilities = merged.probabilities.map((perTask) => perTask.map((name) => (made.has(name) ? name : null)));
  return { inputs: merged.inputs, nodes, initializers, probabilities: outputs, memberProbabilities };
}
