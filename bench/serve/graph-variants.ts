/**
 * Rewrites of an exported network's graph, for model-cost.ts to time against the file as written:
 * what a change to the export would save, measured before anyone makes it. Neither is applied to a
 * served model.
 * - fuseLayerNorms: each nine-node layer norm chain (ReduceMean, Sub, Mul, ReduceMean, Add ε, Sqrt,
 *   Div, Mul γ, Add β) as one LayerNormalization node (ai.onnx opset 17); the same function, rounded
 *   differently. onnxruntime 1.30 does not fuse this chain itself.
 * - dropDenseNumeric: the first layer without its dense product over the numeric block (the
 *   piecewise-linear and one-hot columns), which is most of its rows: the embeddings' rows are still
 *   multiplied, and a sum over the numeric block keeps its preprocessing alive. Not the same model: a
 *   lower bound for a first layer that gathers its weight's rows per bin and category instead.
 */
import { onnx, type ModelProto, type NodeProto, type TensorProto } from '../../src/graph/onnx-proto.js';

const AT = onnx.AttributeProto.AttributeType;

function floats(t: TensorProto): Float32Array {
  if (t.rawData && t.rawData.length > 0) return new Float32Array(Uint8Array.from(t.rawData).buffer);
  return Float32Array.from(t.floatData ?? []);
}

function consumers(nodes: readonly NodeProto[], name: string): NodeProto[] {
  return nodes.filter((n) => n.input?.includes(name));
}

/** Drops initializers no node reads any more (onnxruntime warns about each). */
function dropUnused(g: NonNullable<ModelProto['graph']>): void {
  const read = new Set(g.node!.flatMap((n) => n.input ?? []));
  g.initializer = g.initializer!.filter((t) => read.has(t.name!));
}

const only = (nodes: NodeProto[], opType: string): NodeProto | undefined => (nodes.length === 1 && nodes[0]!.opType === opType ? nodes[0] : undefined);

/** The nine nodes of the layer norm starting at a ReduceMean, or null if the chain differs. */
function layerNormChain(nodes: readonly NodeProto[], mean: NodeProto): NodeProto[] | null {
  const x = mean.input![0]!;
  const next = consumers(nodes, mean.output![0]!);
  const sub = next.length === 1 && next[0]!.opType === 'Sub' && next[0]!.input![0] === x ? next[0]! : undefined;
  if (!sub) return null;
  const centred = consumers(nodes, sub.output![0]!);
  const square = centred.find((n) => n.opType === 'Mul' && n.input![0] === n.input![1]);
  const div = centred.find((n) => n.opType === 'Div');
  if (!square || !div || centred.length !== 2) return null;
  const variance = only(consumers(nodes, square.output![0]!), 'ReduceMean');
  const addEps = variance && only(consumers(nodes, variance.output![0]!), 'Add');
  const sqrt = addEps && only(consumers(nodes, addEps.output![0]!), 'Sqrt');
  const scale = only(consumers(nodes, div.output![0]!), 'Mul');
  const shift = scale && only(consumers(nodes, scale.output![0]!), 'Add');
  if (!variance || !addEps || !sqrt || !scale || !shift || div.input![1] !== sqrt.output![0]) return null;
  return [mean, sub, square, variance, addEps, sqrt, div, scale, shift];
}

/** Fuses every layer norm chain; returns how many were fused. */
export function fuseLayerNorms(model: ModelProto): number {
  const g = model.graph!;
  const nodes = g.node!;
  const initializers = new Map(g.initializer!.map((t) => [t.name!, t]));
  const replaced = new Map<NodeProto, NodeProto>();
  const dropped = new Set<NodeProto>();
  for (const mean of nodes.filter((n) => n.opType === 'ReduceMean')) {
    if (dropped.has(mean)) continue;
    const chain = layerNormChain(nodes, mean);
    const eps = chain && initializers.get(chain[4]!.input![1]!);
    if (!chain || !eps) continue;
    const [, , , , , , , scale, shift] = chain;
    for (const n of chain) dropped.add(n);
    replaced.set(
      shift!,
      onnx.NodeProto.create({
        opType: 'LayerNormalization',
        name: `${shift!.name}/fused`,
        input: [mean.input![0]!, scale!.input![1]!, shift!.input![1]!],
        output: [shift!.output![0]!],
        attribute: [onnx.AttributeProto.create({ name: 'axis', type: AT.INT, i: -1 }), onnx.AttributeProto.create({ name: 'epsilon', type: AT.FLOAT, f: floats(eps)[0]! })],
      }),
    );
  }
  g.node = nodes.flatMap((n) => (replaced.has(n) ? [replaced.get(n)!] : dropped.has(n) ? [] : [n]));
  dropUnused(g);
  return replaced.size;
}

/**
 * Replaces the first MatMul over Concat(numeric, embeddings) as described above; `numericWidth` is
 * the numeric block's width (model.json's network.numericWidth). False when the graph has no such layer.
 */
export function dropDenseNumeric(model: ModelProto, numericWidth: number): boolean {
  const g = model.graph!;
  const nodes = g.node!;
  const concat = nodes.find((n) => n.opType === 'Concat' && n.input?.length === 2 && n.input[0] === 'numeric');
  const matmul = concat && only(consumers(nodes, concat.output![0]!), 'MatMul');
  const weight = matmul && g.initializer!.find((t) => t.name === matmul.input![1]);
  if (!concat || !matmul || !weight) return false;
  const embeddings = concat.input![1]!;
  const [rows, width] = weight.dims!.map(Number) as [number, number];
  const rest = floats(weight).slice(numericWidth * width);
  g.initializer = g.initializer!.filter((t) => t !== weight);
  g.initializer.push(
    onnx.TensorProto.create({ name: 'bench/embedding-rows', dims: [rows - numericWidth, width], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(rest.buffer) }),
    onnx.TensorProto.create({ name: 'bench/axis', dims: [1], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(new BigInt64Array([1n]).buffer) }),
  );
  const out = matmul.output![0]!;
  const swap = [
    onnx.NodeProto.create({ opType: 'MatMul', name: 'bench/embeddings', input: [embeddings, 'bench/embedding-rows'], output: ['bench/embedded'] }),
    onnx.NodeProto.create({ opType: 'ReduceSum', name: 'bench/numeric-sum', input: ['numeric', 'bench/axis'], output: ['bench/numeric-sum'], attribute: [onnx.AttributeProto.create({ name: 'keepdims', type: AT.INT, i: 1 })] }),
    onnx.NodeProto.create({ opType: 'Add', name: 'bench/first-layer', input: ['bench/embedded', 'bench/numeric-sum'], output: [out] }),
  ];
  g.node = nodes.flatMap((n) => (n === matmul ? swap : n === concat ? [] : [n]));
  dropUnused(g);
  return true;
}
