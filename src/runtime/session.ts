/**
 * The only module that talks to onnxruntime-node. A model is compiled once into a session and run
 * with named feeds; results stay onnxruntime tensors, so parameters can go straight back in as
 * inputs of the next step without JS touching their elements.
 */
import * as ort from 'onnxruntime-node';
import { FeedError } from '../errors.js';
import type { Dim, OnnxDType } from '../graph/onnx-proto.js';

export type RuntimeTensor = ort.Tensor;
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[];

/** What the caller promises to feed: checked before every run so mistakes name the input. */
export interface InputSpec {
  name: string;
  dtype: OnnxDType;
  shape: Dim[];
}

export interface SessionOptions {
  /** Intra-op threads; 0 lets onnxruntime choose. */
  threads?: number;
}

const ORT_TYPE: Record<OnnxDType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  uint8: 'uint8',
  bool: 'bool',
  string: 'string',
};

export function makeTensor(dtype: OnnxDType, data: TensorData, dims: readonly number[]): RuntimeTensor {
  if (dtype === 'bool') return new ort.Tensor('bool', data as Uint8Array, dims);
  return new ort.Tensor(ORT_TYPE[dtype] as 'float32', data as Float32Array, dims);
}

export function tensorData(t: RuntimeTensor): TensorData {
  return t.data as TensorData;
}

export function tensorDims(t: RuntimeTensor): readonly number[] {
  return t.dims;
}

export class CompiledModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputs: InputSpec[],
    readonly outputNames: readonly string[],
  ) {}

  static async create(bytes: Uint8Array, inputs: InputSpec[], options: SessionOptions = {}): Promise<CompiledModel> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new CompiledModel(session, inputs, session.outputNames);
  }

  /** Named batch dimensions must agree across inputs within one run. */
  private check(feeds: Record<string, RuntimeTensor>): void {
    const bound = new Map<string, number>();
    for (const spec of this.inputs) {
      const t = feeds[spec.name];
      if (!t) throw new FeedError('missing-input', `input '${spec.name}' was not fed`, { input: spec.name });
      if (t.type !== ORT_TYPE[spec.dtype]) {
        throw new FeedError('input-dtype', `input '${spec.name}' expects ${spec.dtype}, got ${t.type}`, { input: spec.name });
      }
      const dims = t.dims;
      const ok = dims.length === spec.shape.length && spec.shape.every((d, i) => {
        if (typeof d === 'number') return dims[i] === d;
        const seen = bound.get(d);
        if (seen === undefined) bound.set(d, dims[i]!);
        return seen === undefined || seen === dims[i];
      });
      if (!ok) {
        throw new FeedError(
          'input-shape',
          `input '${spec.name}' expects shape [${spec.shape.join(', ')}], got [${dims.join(', ')}]`,
          { input: spec.name, expected: spec.shape, got: [...dims] },
        );
      }
    }
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((s) => s.name === name)) {
        throw new FeedError('unknown-input', `'${name}' is not an input of this model; inputs: ${this.inputs.map((s) => s.name).join(', ')}`, { input: name });
      }
    }
  }

  async run(feeds: Record<string, RuntimeTensor>, outputs?: string[]): Promise<Record<string, RuntimeTensor>> {
    this.check(feeds);
    return outputs ? this.session.run(feeds, outputs) : this.session.run(feeds);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
