/** Writing a model folder: model.onnx and model.json appear together or not at all. */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFolderAtomic } from '../util/atomic.js';
import type { ModelMetadata } from './metadata.js';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function saveModel(dir: string, onnx: Uint8Array, meta: Omit<ModelMetadata, 'onnx'> & { onnx: Omit<ModelMetadata['onnx'], 'sha256'> }): Promise<void> {
  const full: ModelMetadata = { ...meta, onnx: { ...meta.onnx, sha256: sha256(onnx) } };
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'model.onnx'), onnx);
    await writeFile(join(tmp, 'model.json'), JSON.stringify(full, null, 2) + '\n');
  });
}
