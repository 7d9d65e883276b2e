/**
 * A small helper that collects the nodes and constants of the feature plan's ONNX fragment and gives
 * every tensor a unique, deterministic name under one prefix (`fp/age/impute`, ...).
 */
import {
  makeNode,
  makeTensor,
  ML_DOMAIN,
  ONNX_DTYPE,
  type AttrValue,
  type NodeProto,
  type OnnxDType,
  type TensorProto,
} from '../graph/onnx-proto.js';

export class FragmentBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();

  constructor(readonly prefix: string) {}

  /** A fresh tensor name `prefix + hint`, suffixed `~2`, `~3`, ... if already taken. */
  name(hint: string): string {
    const base = this.prefix + hint;
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}~${k}`;
    this.used.add(name);
    return name;
  }

  /** One node with one output; returns the output's name. */
  op(opType: string, inputs: string[], hint: string, attrs: Record<string, AttrValue> = {}): string {
    return this.opN(opType, inputs, [hint], attrs)[0]!;
  }

  /** One node with several outputs named by the hints. */
  opN(opType: string, inputs: string[], hints: string[], attrs: Record<string, AttrValue> = {}, domain?: string): string[] {
    const outputs = hints.map((h) => this.name(h));
    this.nodes.push(makeNode(opType, inputs, outputs, attrs, outputs[0], domain));
    return outputs;
  }

  /** A node of the ai.onnx.ml domain (LabelEncoder, Imputer, Scaler). */
  ml(opType: string, inputs: string[], hint: string, attrs: Record<string, AttrValue>): string {
    return this.opN(opType, inputs, [hint], attrs, ML_DOMAIN)[0]!;
  }

  constant(hint: string, dtype: OnnxDType, dims: number[], data: number[] | string[]): string {
    const name = this.name(hint);
    this.initializers.push(makeTensor(name, dtype, dims, data));
    return name;
  }

  cast(input: string, to: OnnxDType, hint: string): string {
    return this.op('Cast', [input], hint, { to: ONNX_DTYPE[to] });
  }

  /** Columns `[B, k]` joined along axis 1 (no node for a single piece). */
  concat(pieces: string[], hint: string): string {
    return pieces.length === 1 ? pieces[0]! : this.op('Concat', pieces, hint, { axis: 1 });
  }
}

/** `[B, 1]` int64 indices → `[B, cardinality]` float one-hot (index 0 is the unknown bucket). */
export function oneHotToOnnx(b: FragmentBuilder, index: string, cardinality: number, hint: string): string {
  const range = b.constant(`${hint}/range`, 'int64', [cardinality], Array.from({ length: cardinality }, (_, i) => i));
  return b.cast(b.op('Equal', [index, range], `${hint}/eq`), 'float32', `${hint}/onehot`);
}

/**
 * String ops fail on an empty batch (StringNormalizer refuses 0 strings; a split of nothing has no
 * columns to pick), so string pipelines run on the batch with one harmless row put in front, and
 * `dropFirstRow` removes that row from their results.
 */
export function prependRow(b: FragmentBuilder, input: string, value: string, hint: string): string {
  const row = b.constant(`${hint}/pad/value`, 'string', [1, 1], [value]);
  return b.op('Concat', [row, input], `${hint}/pad`, { axis: 0 });
}

export function dropFirstRow(b: FragmentBuilder, tensor: string, hint: string): string {
  const start = b.constant(`${hint}/unpad/start`, 'int64', [1], [1]);
  const end = b.constant(`${hint}/unpad/end`, 'int64', [1], [Number.MAX_SAFE_INTEGER]);
  const axis = b.constant(`${hint}/unpad/axis`, 'int64', [1], [0]);
  return b.op('Slice', [tensor, start, end, axis], `${hint}/unpad`);
}
