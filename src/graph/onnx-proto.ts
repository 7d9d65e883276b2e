/**
 * The thin layer over the ONNX protobuf types: attributes, tensors, value infos and model encoding.
 * Everything that writes ONNX goes through here, so opset and IR versions are set in one place.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type ModelProto = onnxProto.onnx.IModelProto;

/** ai.onnx opset: 21 brings StringSplit/StringConcat (text features) and is run by onnxruntime 1.30. */
export const OPSET = 21;
/** ai.onnx.ml opset: 4 gives LabelEncoder tensor-valued keys, values and defaults. */
export const ML_OPSET = 4;
/** ai.onnx.ml opset 5 brings TreeEnsemble (categorical set membership); used only by models with trees. */
export const ML_TREES_OPSET = 5;
export const IR_VERSION = 10;
export const ML_DOMAIN = 'ai.onnx.ml';

export type OnnxDType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool' | 'string';

const DT = onnx.TensorProto.DataType;
export const ONNX_DTYPE: Record<OnnxDType, number> = {
  float32: DT.FLOAT,
  float64: DT.DOUBLE,
  int64: DT.INT64,
  int32: DT.INT32,
  uint8: DT.UINT8,
  bool: DT.BOOL,
  string: DT.STRING,
};

export type AttrValue = number | string | number[] | string[] | TensorProto | { float: number } | { floats: number[] };

const AT = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

/**
 * Plain JS numbers are ambiguous (1 could be INT or FLOAT); integers become INT unless wrapped
 * as `{ float: 1 }` / `{ floats: [...] }`.
 */
function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: AT.INT, i: v } : { name, type: AT.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: AT.STRING, s: utf8.encode(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') {
      return { name, type: AT.STRINGS, strings: (v as string[]).map((s) => utf8.encode(s)) };
    }
    const nums = v as number[];
    return nums.every((x) => Number.isInteger(x))
      ? { name, type: AT.INTS, ints: nums }
      : { name, type: AT.FLOATS, floats: nums };
  }
  if ('float' in v) return { name, type: AT.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: AT.FLOATS, floats: v.floats };
  return { name, type: AT.TENSOR, t: v };
}

export function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
  name?: string,
  domain?: string,
): NodeProto {
  const node: NodeProto = {
    opType,
    input: inputs,
    output: outputs,
    name: name ?? outputs[0],
    attribute: Object.keys(attrs)
      .sort()
      .map((k) => attribute(k, attrs[k]!)),
  };
  if (domain) node.domain = domain;
  return node;
}

/** A tensor constant. Numbers are stored as little-endian raw bytes, so output is byte-stable. */
export function makeTensor(
  name: string,
  dtype: OnnxDType,
  dims: number[],
  data: ArrayLike<number> | ArrayLike<bigint> | string[] | ArrayLike<boolean>,
): TensorProto {
  const t: TensorProto = { name, dataType: ONNX_DTYPE[dtype], dims };
  if (dtype === 'string') {
    t.stringData = (data as string[]).map((s) => utf8.encode(s));
    return t;
  }
  let bytes: Uint8Array;
  const n = data.length;
  switch (dtype) {
    case 'float32': bytes = new Uint8Array(Float32Array.from(data as ArrayLike<number>).buffer); break;
    case 'float64': bytes = new Uint8Array(Float64Array.from(data as ArrayLike<number>).buffer); break;
    case 'int32': bytes = new Uint8Array(Int32Array.from(data as ArrayLike<number>).buffer); break;
    case 'uint8': bytes = Uint8Array.from(data as ArrayLike<number>); break;
    case 'int64': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt((data as ArrayLike<number | bigint>)[i]!);
      bytes = new Uint8Array(a.buffer);
      break;
    }
    case 'bool': {
      bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (data as ArrayLike<unknown>)[i] ? 1 : 0;
      break;
    }
  }
  t.rawData = bytes;
  return t;
}

/** A dimension is a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export function makeValueInfo(name: string, dtype: OnnxDType, shape: Dim[] | null): ValueInfoProto {
  const tensorType: onnxProto.onnx.TypeProto.ITensor = { elemType: ONNX_DTYPE[dtype] };
  if (shape) {
    tensorType.shape = { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) };
  }
  return { name, type: { tensorType } };
}

export interface ModelParts {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  docString?: string;
  metadata?: Record<string, string>;
}

/** Encode a model; no timestamps or random ids, so the same parts give the same bytes. */
export function encodeModel(parts: ModelParts): Uint8Array {
  const usesMl = parts.nodes.some((n) => n.domain === ML_DOMAIN);
  const mlOpset = parts.nodes.some((n) => n.domain === ML_DOMAIN && n.opType === 'TreeEnsemble') ? ML_TREES_OPSET : ML_OPSET;
  const model: ModelProto = {
    irVersion: IR_VERSION,
    producerName: 'polyhead',
    opsetImport: [{ domain: '', version: OPSET }, ...(usesMl ? [{ domain: ML_DOMAIN, version: mlOpset }] : [])],
    graph: {
      name: parts.name,
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
      docString: parts.docString ?? '',
    },
    metadataProps: Object.entries(parts.metadata ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/**
 * A piece of a graph that another piece can be joined to by tensor names: the feature plan's
 * preprocessing, say, whose outputs are the network's inputs.
 */
export interface OnnxFragment {
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
}
