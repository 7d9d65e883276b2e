/**
 * Rewrites of an exported network's graph, for model-cost.ts to time against the file as written:
 * what a change to the export would save, measured before anyone makes it. Neither is applied to a
 * served model.
 * - expandLayerNorms: each LayerNormalization node as the nine-node chain of primitives the export
 *   wrote before (ReduceMean, Sub, Mul, ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β); the same
 *   function, rounded differently. onnxruntime 1.30 does not fuse this chain itself.
 * - gatherFirstLayer: the first layer's product over the numeric block (piecewise-linear bins and
 *   one-hot fields, most of its rows) as one Gather of its weight's rows (prefix sums per bin) and a
 *   weighted sum; the same function, rounded differently.
 * - dropDenseNumeric: the first layer without that product at all: the embeddings' rows are still
 *   multiplied, and a sum over the numeric block keeps its preprocessing alive. Not the same model:
 *   the bound any cheaper form of that product could reach.
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

function tensor(name: string, dims: number[], dataType: number, data: Float32Array | BigInt64Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

const only = (nodes: NodeProto[], opType: string): NodeProto | undefined => (nodes.length === 1 && nodes[0]!.opType === opType ? nodes[0] : undefined);

/**
 * Writes every LayerNormalization node back as the nine-node chain the export wrote before it had the
 * op; returns how many were expanded.
 */
export function expandLayerNorms(model: ModelProto): number {
  const g = model.graph!;
  const norms = g.node!.filter((n) => n.opType === 'LayerNormalization');
  const chains = new Map(
    norms.map((ln, k) => {
      const [x, gain, bias] = ln.input as [string, string, string];
      const eps = ln.attribute!.find((a) => a.name === 'epsilon')!.f!;
      g.initializer!.push(tensor(`bench/ln${k}/eps`, [], onnx.TensorProto.DataType.FLOAT, Float32Array.of(eps)));
      const at = (name: string) => `bench/ln${k}/${name}`;
      let step = 0;
      const node = (opType: string, input: string[], output: string, attribute: NodeProto['attribute'] = []): NodeProto =>
        onnx.NodeProto.create({ opType, name: at(`${step++}-${opType}`), input, output: [output], attribute });
      const keep = [onnx.AttributeProto.create({ name: 'keepdims', type: AT.INT, i: 1 })];
      return [
        ln,
        [
          node('ReduceMean', [x, 'bench/last-axis'], at('mean'), keep),
          node('Sub', [x, at('mean')], at('centred')),
          node('Mul', [at('centred'), at('centred')], at('squared')),
          node('ReduceMean', [at('squared'), 'bench/last-axis'], at('variance'), keep),
          node('Add', [at('variance'), at('eps')], at('variance-eps')),
          node('Sqrt', [at('variance-eps')], at('std')),
          node('Div', [at('centred'), at('std')], at('normalised')),
          node('Mul', [at('normalised'), gain], at('scaled')),
          node('Add', [at('scaled'), bias], ln.output![0]!),
        ],
      ] as const;
    }),
  );
  if (norms.length > 0) g.initializer!.push(tensor('bench/last-axis', [1], onnx.TensorProto.DataType.INT64, BigInt64Array.of(-1n)));
  g.node = g.node!.flatMap((n) => chains.get(n) ?? [n]);
  return norms.length;
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

function ints(t: TensorProto): number[] {
  if (t.rawData && t.rawData.length > 0) return Array.from(new BigInt64Array(Uint8Array.from(t.rawData).buffer), Number);
  return (t.int64Data ?? []).map(Number);
}

/** Removes nodes none of whose outputs is read (by a node or as a graph output), until none is left. */
function dropDeadNodes(g: NonNullable<ModelProto['graph']>): void {
  const outputs = new Set(g.output!.map((o) => o.name!));
  for (let changed = true; changed; ) {
    const read = new Set(g.node!.flatMap((n) => n.input ?? []));
    const live = g.node!.filter((n) => n.output!.some((o) => read.has(o) || outputs.has(o)));
    changed = live.length !== g.node!.length;
    g.node = live;
  }
  dropUnused(g);
}

/**
 * The first layer's product over the numeric block as gathers of its weight's rows, the same function
 * to float rounding: a piecewise-linear column whose value lies in bin k (k = how many of its inner
 * edges are ≤ x) has 1 in the bins below and 0 above, so its product is the prefix sum of its rows
 * below k plus the bin's fraction times row k; a one-hot field (the LabelEncoder's index, 0 for an
 * unknown category) is its row. Expects the layout the feature plan writes: numeric = Concat(the
 * piecewise-linear block, then one-hot fields and missing-value indicators). False when the graph is
 * not laid out so.
 */
export function gatherFirstLayer(model: ModelProto): boolean {
  const g = model.graph!;
  const nodes = g.node!;
  const init = new Map(g.initializer!.map((t) => [t.name!, t]));
  const byOutput = new Map(nodes.flatMap((n) => n.output!.map((o) => [o, n] as const)));
  const concat = nodes.find((n) => n.opType === 'Concat' && n.input?.length === 2 && n.input[0] === 'numeric');
  const matmul = concat && only(consumers(nodes, concat.output![0]!), 'MatMul');
  const weight = matmul && init.get(matmul.input![1]!);
  const join = byOutput.get('numeric');
  const ple = join && byOutput.get(join.input![0]!);
  if (!concat || !matmul || !weight || !join || ple?.opType !== 'Min') return false;
  const hint = ple.name!.replace(/\/ple\/min$/, '');
  const [source, offsets] = [init.get(`${hint}/ple/source`), init.get(`${hint}/ple/offset`)];
  const gatherNode = nodes.find((n) => n.name === `${hint}/ple/gather`);
  if (!source || !offsets || !gatherNode) return false;
  const [rows, width] = weight.dims!.map(Number) as [number, number];
  const w = floats(weight);
  const src = ints(source);
  const off = floats(offsets);
  const pieces = src.length;
  const columns = Math.max(...src) + 1;
  const starts = Array.from({ length: columns }, (_, c) => src.indexOf(c));
  // Inner edges: every piece but a column's first starts at one.
  const inner = src.flatMap((c, t) => (t === starts[c] ? [] : [t]));
  const prefix = new Float32Array(pieces * width);
  for (let t = 0; t < pieces; t++) {
    if (t === starts[src[t]!]) continue;
    for (let j = 0; j < width; j++) prefix[t * width + j] = prefix[(t - 1) * width + j]! + w[(t - 1) * width + j]!;
  }
  const segments = new Float32Array(inner.length * columns);
  inner.forEach((t, i) => (segments[i * columns + src[t]!] = 1));
  // The blocks after the piecewise-linear one, in the weight's row order: one-hot fields (Cast of
  // Equal(index, range)) are gathered; missing-value indicators (Cast of IsNaN(Gather(raw, columns))) stay a small dense product.
  const blocks = join.input!.slice(1).map((name) => {
    const test = byOutput.get(byOutput.get(name)?.input?.[0] ?? '');
    if (test?.opType === 'Equal' && init.has(test.input![1]!)) return { name, index: test.input![0]!, width: ints(init.get(test.input![1]!)!).length };
    const picked = test?.opType === 'IsNaN' ? byOutput.get(test.input![0]!) : undefined;
    if (picked?.opType === 'Gather' && init.has(picked.input![1]!)) return { name, index: undefined, width: ints(init.get(picked.input![1]!)!).length };
    return undefined;
  });
  if (blocks.some((b) => b === undefined)) return false;
  const laid = blocks.map((b, i) => ({ ...b!, start: pieces + blocks.slice(0, i).reduce((a, x) => a + x!.width, 0) }));
  const numericWidth = laid.reduce((end, b) => Math.max(end, b.start + b.width), pieces);
  const oneHots = laid.filter((b) => b.index !== undefined);
  const dense = laid.filter((b) => b.index === undefined);
  const denseRows = new Float32Array((dense.reduce((a, b) => a + b.width, 0) + rows - numericWidth) * width);
  let at = 0;
  for (const b of dense) denseRows.set(w.subarray(b.start * width, (b.start + b.width) * width), at), (at += b.width * width);
  denseRows.set(w.subarray(numericWidth * width), at);
  const F = onnx.TensorProto.DataType;
  const node = (opType: string, input: string[], output: string, attribute: Array<ReturnType<typeof onnx.AttributeProto.create>> = []): NodeProto =>
    onnx.NodeProto.create({ opType, name: `bench/${output}`, input, output: [`bench/${output}`], attribute });
  const axis = (a: number) => onnx.AttributeProto.create({ name: 'axis', type: AT.INT, i: a });
  // One table (prefix sums, then the weight's numeric rows) so that a row's numeric part is one Gather of 2·columns + fields rows and one weighted sum.
  const table = new Float32Array((pieces + numericWidth) * width);
  table.set(prefix, 0);
  table.set(w.subarray(0, numericWidth * width), pieces * width);
  g.initializer = g.initializer!.filter((t) => t !== weight);
  g.initializer.push(
    tensor('bench/inner-source', [inner.length], F.INT64, BigInt64Array.from(inner, (t) => BigInt(src[t]!))),
    tensor('bench/inner-edges', [inner.length], F.FLOAT, Float32Array.from(inner, (t) => off[t]!)),
    tensor('bench/segments', [inner.length, columns], F.FLOAT, segments),
    tensor('bench/starts', [columns], F.INT64, BigInt64Array.from(starts, BigInt)),
    tensor('bench/row-starts', [columns], F.INT64, BigInt64Array.from(starts, (x) => BigInt(x + pieces))),
    tensor('bench/table', [pieces + numericWidth, width], F.FLOAT, table),
    tensor('bench/onehot-starts', [oneHots.length], F.INT64, BigInt64Array.from(oneHots, (b) => BigInt(b.start + pieces))),
    tensor('bench/dense-rows', [denseRows.length / width, width], F.FLOAT, denseRows),
    tensor('bench/ones', [1, columns + oneHots.length], F.FLOAT, new Float32Array(columns + oneHots.length).fill(1)),
    tensor('bench/ones-width', [1], F.INT64, new BigInt64Array([BigInt(columns + oneHots.length)])),
    tensor('bench/zero', [1], F.INT64, new BigInt64Array([0n])),
    tensor('bench/one', [1], F.INT64, new BigInt64Array([1n])),
    tensor('bench/axis1', [1], F.INT64, new BigInt64Array([1n])),
    tensor('bench/shape', [2], F.INT64, new BigInt64Array([0n, BigInt(width)])),
  );
  const swap = [
    node('Gather', [gatherNode.input![0]!, 'bench/inner-source'], 'x', [axis(1)]),
    node('GreaterOrEqual', ['bench/x', 'bench/inner-edges'], 'above'),
    node('Cast', ['bench/above'], 'above-f', [onnx.AttributeProto.create({ name: 'to', type: AT.INT, i: F.FLOAT })]),
    node('MatMul', ['bench/above-f', 'bench/segments'], 'k-f'),
    node('Cast', ['bench/k-f'], 'k', [onnx.AttributeProto.create({ name: 'to', type: AT.INT, i: F.INT64 })]),
    node('Add', ['bench/k', 'bench/starts'], 'piece'),
    node('Add', ['bench/k', 'bench/row-starts'], 'row'),
    node('GatherElements', [ple.output![0]!, 'bench/piece'], 'fraction', [axis(1)]),
    node('Concat', oneHots.map((b) => b.index!), 'indices', [axis(1)]),
    node('Add', ['bench/indices', 'bench/onehot-starts'], 'onehot-row'),
    node('Concat', ['bench/piece', 'bench/onehot-row', 'bench/row'], 'all-rows', [axis(1)]),
    // A weight of 1 for each prefix sum and one-hot row, [batch, columns + fields], then the fractions.
    node('Shape', ['bench/fraction'], 'fraction-shape'),
    node('Slice', ['bench/fraction-shape', 'bench/zero', 'bench/one'], 'batch'),
    node('Concat', ['bench/batch', 'bench/ones-width'], 'ones-shape', [axis(0)]),
    node('Expand', ['bench/ones', 'bench/ones-shape'], 'ones-b'),
    node('Concat', ['bench/ones-b', 'bench/fraction'], 'coefficients', [axis(1)]),
    node('Unsqueeze', ['bench/coefficients', 'bench/axis1'], 'coefficients3'),
    node('Gather', ['bench/table', 'bench/all-rows'], 'gathered'),
    node('MatMul', ['bench/coefficients3', 'bench/gathered'], 'summed3'),
    node('Reshape', ['bench/summed3', 'bench/shape'], 'numeric-part'),
    node('Concat', [...dense.map((b) => b.name), concat.input![1]!], 'dense', [axis(1)]),
    node('MatMul', ['bench/dense', 'bench/dense-rows'], 'embedded'),
  ];
  const last = onnx.NodeProto.create({ opType: 'Add', name: 'bench/first-layer', input: ['bench/numeric-part', 'bench/embedded'], output: [matmul.output![0]!] });
  g.node = nodes.flatMap((n) => (n === matmul ? [...swap, last] : n === concat ? [] : [n]));
  dropDeadNodes(g);
  return true;
}
