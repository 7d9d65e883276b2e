/**
 * A Triton / KServe model repository entry: `<name>/config.pbtxt` and `<name>/1/model.onnx`. The
 * config is written from model.onnx's own signature: with max_batch_size > 0 Triton's dims leave out
 * the batch dimension, and a tensor that is only [batch] (a single-label task's label) is exposed as
 * dims [1] with reshape to [] (Triton's documented form for it).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnnxDType } from '../graph/onnx-proto.js';
import { writeFolderAtomic } from '../util/atomic.js';
import { onnxSignature, type OnnxSignature, type TensorSignature } from './signature.js';

export const TRITON_DATATYPE: Record<OnnxDType, string> = {
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  int64: 'TYPE_INT64',
  int32: 'TYPE_INT32',
  uint8: 'TYPE_UINT8',
  bool: 'TYPE_BOOL',
  string: 'TYPE_STRING',
};

export interface TritonOptions {
  maxBatchSize: number;
  maxQueueDelayMicroseconds: number;
}

const quote = (s: string): string => JSON.stringify(s);

function tensorEntry(t: TensorSignature): string {
  const dims = t.shape.slice(1);
  const fields = [`name: ${quote(t.name)}`, `data_type: ${TRITON_DATATYPE[t.dtype]}`];
  if (dims.length === 0) fields.push('dims: [ 1 ]', 'reshape: { shape: [ ] }');
  else fields.push(`dims: [ ${dims.join(', ')} ]`);
  return `  {\n    ${fields.join('\n    ')}\n  }`;
}

export function tritonConfig(name: string, signature: OnnxSignature, options: TritonOptions): string {
  return [
    `name: ${quote(name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${options.maxBatchSize}`,
    `input [\n${signature.inputs.map(tensorEntry).join(',\n')}\n]`,
    `output [\n${signature.outputs.map(tensorEntry).join(',\n')}\n]`,
    `dynamic_batching {\n  max_queue_delay_microseconds: ${options.maxQueueDelayMicroseconds}\n}`,
    'instance_group [\n  {\n    kind: KIND_CPU\n    count: 1\n  }\n]',
    '',
  ].join('\n');
}

/** Writes `repository/<name>/` whole (config.pbtxt, 1/model.onnx), replacing an older one only once complete. */
export async function writeTritonModel(repository: string, name: string, modelDir: string, options: TritonOptions): Promise<string> {
  const onnxPath = join(modelDir, 'model.onnx');
  const signature = onnxSignature(await readFile(onnxPath), onnxPath);
  const target = join(repository, name);
  await writeFolderAtomic(target, async (dir) => {
    await writeFile(join(dir, 'config.pbtxt'), tritonConfig(name, signature, options));
    await mkdir(join(dir, '1'));
    await copyFile(onnxPath, join(dir, '1', 'model.onnx'));
  });
  return target;
}
