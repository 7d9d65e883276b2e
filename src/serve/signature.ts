/**
 * What model.onnx itself declares: each input's and output's element type and shape, read from the
 * file (not from the network spec), so neural and tree models are described alike. The batch
 * dimension is -1, as the Open Inference Protocol and Triton write it.
 */
import { decodeModel, ONNX_DTYPE, type OnnxDType, type ValueInfoProto } from '../graph/onnx-proto.js';
import { ModelError } from '../errors.js';

export interface TensorSignature {
  name: string;
  dtype: OnnxDType;
  /** -1 for a symbolic (batch) dimension. */
  shape: number[];
}

export interface OnnxSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

const BY_CODE = new Map(Object.entries(ONNX_DTYPE).map(([name, code]) => [code, name as OnnxDType]));

/** Open Inference Protocol datatypes. */
export const V2_DATATYPE: Record<OnnxDType, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', uint8: 'UINT8', bool: 'BOOL', string: 'BYTES' };

function tensorOf(info: ValueInfoProto, file: string): TensorSignature {
  const tensor = info.type?.tensorType;
  const dtype = BY_CODE.get(tensor?.elemType ?? -1);
  if (!info.name || !dtype || !tensor?.shape) throw new ModelError('model-signature', `${file}: '${info.name ?? '?'}' is not a tensor of a known type and shape`);
  const shape = (tensor.shape.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && !d.dimParam ? Number(d.dimValue) : -1));
  return { name: info.name, dtype, shape };
}

export function onnxSignature(bytes: Uint8Array, file: string): OnnxSignature {
  const graph = decodeModel(bytes).graph;
  if (!graph) throw new ModelError('model-signature', `${file} has no graph`);
  return { inputs: (graph.input ?? []).map((i) => tensorOf(i, file)), outputs: (graph.output ?? []).map((o) => tensorOf(o, file)) };
}
