/**
 * A TreeEnsemble as ONNX nodes: one ai.onnx.ml TreeEnsemble (opset 5) giving the raw scores
 * [batch, outputCount], the base score added, then per task the probabilities predict.ts gives
 * (binary [batch, 2] from a logit, softmax over a multiclass task, a sigmoid per multi-label output).
 *
 * Numeric splits are BRANCH_LEQ, categorical ones BRANCH_MEMBER (the left codes listed in
 * membership_values, each set closed by a NaN); nodes_missing_value_tracks_true sends NaN to the
 * true (left) child. In opset 5 a leaf holds one target, so a shared tree is emitted once per output
 * it adds to. A tree that is a single leaf adds a constant and is folded into the base.
 */
import { makeNode, onnx, type NodeProto, type TensorProto } from '../graph/onnx-proto.js';
import type { FragmentBuilder } from '../features/onnx-builder.js';
import type { Tree, TreeEnsemble } from './model.js';

const MODE_LEQ = 0;
const MODE_MEMBER = 6;
const AGGREGATE_SUM = 1;
const POST_TRANSFORM_NONE = 0;

/** The attribute arrays of one TreeEnsemble node, filled tree copy by tree copy. */
class Encoding {
  readonly roots: number[] = [];
  readonly features: number[] = [];
  readonly splits: number[] = [];
  readonly modes: number[] = [];
  readonly missingTrue: number[] = [];
  readonly trueIds: number[] = [];
  readonly trueLeaf: number[] = [];
  readonly falseIds: number[] = [];
  readonly falseLeaf: number[] = [];
  readonly membership: number[] = [];
  readonly leafTargets: number[] = [];
  readonly leafWeights: number[] = [];

  /** Appends `tree` with the leaf values of its k-th output, writing to ensemble output `target`. */
  add(tree: Tree, k: number, target: number): void {
    const width = tree.outputs.length;
    const internal = new Map<number, number>();
    const leaves = new Map<number, number>();
    // Index every reachable node first: children may come before or after their parent.
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (tree.feature[node]! < 0) {
        leaves.set(node, this.leafTargets.length);
        this.leafTargets.push(target);
        this.leafWeights.push(tree.values[node * width + k]!);
        continue;
      }
      internal.set(node, this.features.length + internal.size);
      stack.push(tree.right[node]!, tree.left[node]!);
    }
    this.roots.push(internal.get(0)!);
    const order = [...internal.keys()].sort((a, b) => internal.get(a)! - internal.get(b)!);
    for (const node of order) {
      this.features.push(tree.feature[node]!);
      const from = tree.catStart[node]!;
      const to = tree.catStart[node + 1]!;
      if (from < to) {
        this.modes.push(MODE_MEMBER);
        this.splits.push(0);
        for (let c = from; c < to; c++) this.membership.push(tree.catCodes[c]!);
        this.membership.push(NaN);
      } else {
        this.modes.push(MODE_LEQ);
        this.splits.push(tree.threshold[node]!);
      }
      this.missingTrue.push(tree.missingLeft[node]!);
      for (const [child, ids, isLeaf] of [
        [tree.left[node]!, this.trueIds, this.trueLeaf],
        [tree.right[node]!, this.falseIds, this.falseLeaf],
      ] as const) {
        const leaf = tree.feature[child]! < 0;
        ids.push(leaf ? leaves.get(child)! : internal.get(child)!);
        isLeaf.push(leaf ? 1 : 0);
      }
    }
  }

  /** A tree that always adds 0: TreeEnsemble needs at least one interior node. */
  addZeroTree(): void {
    this.roots.push(this.features.length);
    this.features.push(0);
    this.splits.push(0);
    this.modes.push(MODE_LEQ);
    this.missingTrue.push(0);
    const leaf = this.leafTargets.length;
    this.trueIds.push(leaf);
    this.falseIds.push(leaf);
    this.trueLeaf.push(1);
    this.falseLeaf.push(1);
    this.leafTargets.push(0);
    this.leafWeights.push(0);
  }
}

function tensor(name: string, dataType: number, data: ArrayBufferView, length: number): TensorProto {
  return { name, dataType, dims: [length], rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const DT = onnx.TensorProto.DataType;

function treeEnsembleNode(e: Encoding, input: string, output: string, outputCount: number, name: string): NodeProto {
  const floats = (n: string, v: number[]) => tensor(n, DT.FLOAT, Float32Array.from(v), v.length);
  return makeNode(
    'TreeEnsemble',
    [input],
    [output],
    {
      aggregate_function: AGGREGATE_SUM,
      leaf_targetids: e.leafTargets,
      leaf_weights: floats('leaf_weights', e.leafWeights),
      ...(e.membership.length > 0 ? { membership_values: floats('membership_values', e.membership) } : {}),
      n_targets: outputCount,
      nodes_falseleafs: e.falseLeaf,
      nodes_falsenodeids: e.falseIds,
      nodes_featureids: e.features,
      nodes_missing_value_tracks_true: e.missingTrue,
      nodes_modes: tensor('nodes_modes', DT.UINT8, Uint8Array.from(e.modes), e.modes.length),
      nodes_splits: floats('nodes_splits', e.splits),
      nodes_trueleafs: e.trueLeaf,
      nodes_truenodeids: e.trueIds,
      post_transform: POST_TRANSFORM_NONE,
      tree_roots: e.roots,
    },
    name,
    'ai.onnx.ml',
  );
}

/** The raw scores `[batch, outputCount]` of the ensemble applied to `input` (float32 `[batch, features]`). */
export function rawScoresToOnnx(b: FragmentBuilder, ensemble: TreeEnsemble, input: string): string {
  const e = new Encoding();
  const base = Float64Array.from(ensemble.base);
  for (const tree of ensemble.trees) {
    if (tree.feature[0]! < 0) {
      tree.outputs.forEach((target, k) => (base[target]! += tree.values[k]!));
      continue;
    }
    tree.outputs.forEach((target, k) => e.add(tree, k, target));
  }
  if (e.roots.length === 0) e.addZeroTree();
  const sums = b.name('trees/sum');
  b.nodes.push(treeEnsembleNode(e, input, sums, ensemble.outputCount, sums));
  return b.op('Add', [sums, b.constant('trees/base', 'float32', [ensemble.outputCount], Array.from(base))], 'trees/raw');
}

/** Per task, the probability tensor: binary [batch, 2], multiclass [batch, K], multi-label [batch, labels]. */
export function ensembleToOnnx(b: FragmentBuilder, ensemble: TreeEnsemble, input: string): string[] {
  const raw = rawScoresToOnnx(b, ensemble, input);
  const axis = b.constant('trees/axis', 'int64', [1], [1]);
  return ensemble.tasks.map((task) => {
    const h = `trees/${task.name}`;
    const start = b.constant(`${h}/start`, 'int64', [1], [task.offset]);
    const end = b.constant(`${h}/end`, 'int64', [1], [task.offset + task.width]);
    const scores = b.op('Slice', [raw, start, end, axis], `${h}/scores`);
    if (task.type === 'multiclass') return b.op('Softmax', [scores], `${h}/softmax`, { axis: 1 });
    const p = b.op('Sigmoid', [scores], `${h}/sigmoid`);
    if (task.type === 'multilabel') return p;
    const q = b.op('Sub', [b.constant(`${h}/one`, 'float32', [], [1]), p], `${h}/complement`);
    return b.op('Concat', [q, p], `${h}/probabilities`, { axis: 1 });
  });
}
