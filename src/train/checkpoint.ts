/**
 * A checkpoint is one file: a JSON header (with the byte ranges of its arrays) followed by the raw
 * float32 arrays. Written atomically, so a run killed while saving keeps the previous checkpoint.
 */
import { readFile } from 'node:fs/promises';
import { TrainingError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';

export interface CheckpointData {
  meta: Record<string, unknown>;
  arrays: Record<string, Float32Array>;
}

const MAGIC = 'PHCKPT1\n';

export async function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  const names = Object.keys(data.arrays).sort();
  let offset = 0;
  const ranges: Record<string, [number, number]> = {};
  for (const n of names) {
    ranges[n] = [offset, data.arrays[n]!.length];
    offset += data.arrays[n]!.length * 4;
  }
  const header = Buffer.from(JSON.stringify({ meta: data.meta, ranges }));
  const out = Buffer.alloc(MAGIC.length + 4 + header.length + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  const base = MAGIC.length + 4 + header.length;
  for (const n of names) {
    const a = data.arrays[n]!;
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, base + ranges[n]![0]);
  }
  await writeFileAtomic(path, out);
}

export async function loadCheckpoint(path: string): Promise<CheckpointData> {
  const buf = await readFile(path);
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new TrainingError('bad-checkpoint', `${path} is not a polyhead checkpoint; delete it or train without --resume`);
  }
  const len = buf.readUInt32LE(MAGIC.length);
  const { meta, ranges } = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + len)) as {
    meta: Record<string, unknown>;
    ranges: Record<string, [number, number]>;
  };
  const base = MAGIC.length + 4 + len;
  const arrays: Record<string, Float32Array> = {};
  for (const [n, [off, count]] of Object.entries(ranges)) {
    arrays[n] = new Float32Array(buf.buffer.slice(buf.byteOffset + base + off, buf.byteOffset + base + off + count * 4));
  }
  return { meta, arrays };
}
