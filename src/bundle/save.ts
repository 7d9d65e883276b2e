/** Writing a model folder: model.onnx and model.json appear together or not at all. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFolderAtomic } from '../util/atomic.js';
import { sha256 } from './folder-check.js';
import type { ModelMetadata } from './metadata.js';

export async function saveModel(dir: string, onnx: Uint8Array, meta: Omit<ModelMetadata, 'files'>): Promise<void> {
  const full: ModelMetadata = { ...meta, files: { 'model.onnx': { sha256: sha256(onnx), bytes: onnx.length } } };
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'model.onnx'), onnx);
    await writeFile(join(tmp, 'model.json'), JSON.stringify(full, null, 2) + '\n');
  });
}
