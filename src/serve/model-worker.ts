/**
 * The worker thread that owns a served model's one onnxruntime session. onnxruntime-node runs a
 * session synchronously on the calling thread, so a run on the server's event loop would stall
 * parsing and answering; here it runs beside it, and the micro-batcher hands it one joined batch
 * at a time. Messages: a ColumnBatch in, per-task predictions (or the error's name, code, message) out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PolyheadModel } from '../bundle/model.js';
import { PolyheadError } from '../errors.js';
import type { ColumnBatch } from './columns.js';
import { batchTable } from './table.js';

export interface WorkerError {
  name: string;
  code?: string;
  message: string;
}

export type WorkerReply =
  | { type: 'ready'; meta: PolyheadModel['meta'] }
  | { type: 'result'; id: number; predictions: Awaited<ReturnType<PolyheadModel['predict']>> }
  | { type: 'error'; id: number; error: WorkerError };

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof PolyheadError ? { name: err.name, code: err.code, message: err.message } : { name: 'Error', message: err instanceof Error ? err.name : String(err) };

const port = parentPort!;
const { dir, threads } = workerData as { dir: string; threads: number };

try {
  const model = await PolyheadModel.load(dir, threads);
  port.on('message', (msg: { type: 'predict'; id: number; batch: ColumnBatch } | { type: 'release' }) => {
    // In a worker, process.exit ends this thread only, once the session is released.
    if (msg.type === 'release') return void model.release().then(() => process.exit(0));
    model.predict(batchTable(msg.batch)).then(
      (predictions) => port.postMessage({ type: 'result', id: msg.id, predictions } satisfies WorkerReply, predictions.map((p) => p.probabilities.buffer as ArrayBuffer)),
      (err: unknown) => port.postMessage({ type: 'error', id: msg.id, error: toWorkerError(err) } satisfies WorkerReply),
    );
  });
  port.postMessage({ type: 'ready', meta: model.meta } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'error', id: -1, error: toWorkerError(err) } satisfies WorkerReply);
  port.close();
}
