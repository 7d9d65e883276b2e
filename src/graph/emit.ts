/**
 * Graph → ONNX model bytes. Only nodes that outputs need are emitted; names come from ids and
 * insertion order, so the same graph gives the same bytes. Internal names start with '~' so they
 * never meet the names of inputs and outputs.
 */
import type { Graph, Tensor } from './graph.js';
import { inputName } from './graph.js';
import type { EmitContext } from './op.js';
import { opDef } from './op.js';
import { encodeModel, makeNode, makeTensor, makeValueInfo, type AttrValue, type ModelParts, type NodeProto, type TensorProto } from './onnx-proto.js';
import type { InputSpec } from '../runtime/session.js';

export interface EmittedModel {
  bytes: Uint8Array;
  inputs: InputSpec[];
  outputs: string[];
}

function liveNodes(graph: Graph): Set<number> {
  const needed = new Set<number>();
  for (const o of graph.outputs) needed.add(o.tensor.id);
  const live = new Set<number>();
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (node.outputs.some((t) => needed.has(t.id))) {
      live.add(i);
      for (const t of node.inputs) needed.add(t.id);
    }
  }
  return live;
}

export function emitOnnx(graph: Graph, name = 'polyhead', metadata?: Record<string, string>): EmittedModel {
  const parts = emitParts(graph, name);
  const inputs: InputSpec[] = graph.inputs.map((t) => ({ name: inputName(t), dtype: t.dtype, shape: [...t.shape] }));
  return { bytes: encodeModel(metadata ? { ...parts, metadata } : parts), inputs, outputs: graph.outputs.map((o) => o.name) };
}

/** The nodes, initializers and signature of a graph, to encode or to join with other pieces. */
export function emitParts(graph: Graph, name = 'polyhead'): ModelParts {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const shared = new Map<string, string>();
  let counter = 0;

  const constName = (t: Tensor): string => {
    const key = `t${t.id}`;
    if (!shared.has(key)) {
      const data = (t.source as { data: ArrayLike<number> }).data;
      const nm = `~c${t.id}`;
      initializers.push(makeTensor(nm, t.dtype, t.shape as number[], t.dtype === 'bool' ? Array.from(data, Boolean) : data));
      shared.set(key, nm);
    }
    return shared.get(key)!;
  };

  // A node output that is a graph output takes the output's name directly: an Identity would copy it.
  const outputNamed = new Map<number, string>();
  for (const o of graph.outputs) {
    if (o.tensor.source.kind === 'node' && !outputNamed.has(o.tensor.id)) outputNamed.set(o.tensor.id, o.name);
  }

  const e: EmitContext = {
    name: (t) =>
      t.source.kind === 'input' ? t.source.name : t.source.kind === 'const' ? constName(t) : (outputNamed.get(t.id) ?? `~t${t.id}`),
    node(opType, inputs, attrs: Record<string, AttrValue> = {}, outputs, domain) {
      const outs = outputs ?? [`~e${counter++}`];
      nodes.push(makeNode(opType, inputs, outs, attrs, `n${nodes.length}_${opType}`, domain));
      return outs;
    },
    ints(values, scalar = false) {
      const key = `i64:${scalar ? 's' : ''}${values.join(',')}`;
      if (!shared.has(key)) {
        const nm = `~k${shared.size}`;
        initializers.push(makeTensor(nm, 'int64', scalar ? [] : [values.length], values));
        shared.set(key, nm);
      }
      return shared.get(key)!;
    },
    scalar(value, dtype) {
      const key = `${dtype}:${value}`;
      if (!shared.has(key)) {
        const nm = `~k${shared.size}`;
        initializers.push(makeTensor(nm, dtype, [], dtype === 'bool' ? [Boolean(value)] : [value]));
        shared.set(key, nm);
      }
      return shared.get(key)!;
    },
  };

  const live = liveNodes(graph);
  graph.nodes.forEach((node, i) => {
    if (live.has(i)) opDef(node.op).emit(e, node);
  });
  for (const o of graph.outputs) {
    if (e.name(o.tensor) !== o.name) nodes.push(makeNode('Identity', [e.name(o.tensor)], [o.name], {}, `out_${o.name}`));
  }

  return {
    name,
    nodes,
    initializers,
    inputs: graph.inputs.map((t) => makeValueInfo(inputName(t), t.dtype, [...t.shape])),
    outputs: graph.outputs.map((o) => makeValueInfo(o.name, o.tensor.dtype, [...o.tensor.shape])),
  };
}
