/**
 * The worker thread that owns a served model's one onnxruntime session. onnxruntime-node runs a
 * session synchronously on the calling thread, so a run on the server's event loop would stall
 * parsing and answering; here it runs beside it, and the micro-batcher hands it one joined batch
 * at a time. Messages: a ColumnBatch in (two arrays to copy), per-task predictions out (their
 * probabilities' buffers transferred), or the error's name, code, message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PolyheadModel } from '../bundle/model.js';
import { PolyheadError } from '../errors.js';
import type { RawColumnValues } from '../features/index.js';
import { inputSlots, type ColumnBatch, type InputColumn } from './columns.js';

export interface WorkerError {
  name: string;
  code?: string;
  message: string;
}

export type WorkerReply =
  | { type: 'ready'; meta: PolyheadModel['meta'] }
  | { type: 'result'; id: number; predictions: Awaited<ReturnType<PolyheadModel['predict']>> }
  | { type: 'error'; id: number; error: WorkerError };

export type WorkerRequest = { type: 'predict'; id: number; batch: ColumnBatch } | { type: 'release' };

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof PolyheadError ? { name: err.name, code: err.code, message: err.message } : { name: 'Error', message: err instanceof Error ? err.name : String(err) };

/** The batch's columns as the model's raw inputs: views into its two arrays, no conversion. */
function rawValues(batch: ColumnBatch, inputs: PolyheadModel['meta']['onnx']['inputs'], slots: readonly number[]): RawColumnValues[] {
  const n = batch.rows;
  return inputs.map((input, j) => {
    const from = slots[j]! * n;
    return input.dtype === 'float32'
      ? { name: input.name, dtype: 'float32', values: batch.numbers.subarray(from, from + n) }
      : { name: input.name, dtype: 'string', values: batch.strings.slice(from, from + n) };
  });
}

const port = parentPort!;
const { dir, threads } = workerData as { dir: string; threads: number };

try {
  const model = await PolyheadModel.load(dir, threads);
  // Image inputs never reach here: served-model.ts refuses a model that has them once this worker is ready.
  const inputs = model.meta.onnx.inputs.filter((i): i is InputColumn => i.dtype !== 'uint8');
  const slots = inputSlots(inputs);
  port.on('message', (msg: WorkerRequest) => {
    // In a worker, process.exit ends this thread only, once the session is released.
    if (msg.type === 'release') return void model.release().then(() => process.exit(0));
    model.predictValues(rawValues(msg.batch, inputs, slots), msg.batch.rows).then(
      (predictions) => port.postMessage({ type: 'result', id: msg.id, predictions } satisfies WorkerReply, predictions.map((p) => p.probabilities.buffer as ArrayBuffer)),
      (err: unknown) => port.postMessage({ type: 'error', id: msg.id, error: toWorkerError(err) } satisfies WorkerReply),
    );
  });
  port.postMessage({ type: 'ready', meta: model.meta } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'error', id: -1, error: toWorkerError(err) } satisfies WorkerReply);
  port.close();
}
