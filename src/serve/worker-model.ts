/**
 * The server side of model-worker.ts: starts the worker, waits for the model to load (a ModelError
 * there, such as a failed sha256, comes back as the same error), sends it batches, and hands each
 * its rows of the run the worker joined it into.
 */
import { Worker } from 'node:worker_threads';
import type { ModelMetadata } from '../bundle/metadata.js';
import { FeedError, ModelError, PolyheadError } from '../errors.js';
import type { ColumnBatch } from './columns.js';
import type { WorkerError, WorkerOptions, ServedPrediction, WorkerReply, WorkerRequest } from './model-worker.js';
import { RequestError } from './request-error.js';

function fromWorker(e: WorkerError): Error {
  if (e.name === 'ModelError') return new ModelError(e.code ?? 'model-error', e.message);
  if (e.name === 'FeedError') return new FeedError(e.code ?? 'feed-error', e.message);
  if (e.code !== undefined) return new PolyheadError(e.code, e.message);
  return Object.assign(new Error(`model worker: ${e.message}`), { name: e.name });
}

/** A batch's rows of a run: rows [start, start + the batch's rows) of each task's prediction over `total` rows. */
export interface RunSlice {
  /** The run's number: batches joined into one run share it. */
  run: number;
  predictions: ServedPrediction[];
  total: number;
  start: number;
}

export class WorkerModel {
  private next = 0;
  /** False once the worker has exited (released, or crashed): readiness reports it, predictions are refused. */
  alive = true;
  private readonly pending = new Map<number, { resolve: (s: RunSlice) => void; reject: (e: unknown) => void }>();

  private constructor(
    private readonly worker: Worker,
    readonly meta: ModelMetadata,
  ) {
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') return;
      for (let i = 0; i < msg.ids.length; i++) {
        const waiting = this.pending.get(msg.ids[i]!);
        this.pending.delete(msg.ids[i]!);
        if (msg.type === 'result') waiting?.resolve({ run: msg.run, predictions: msg.predictions, total: msg.total, start: msg.starts[i]! });
        else waiting?.reject(fromWorker(msg.error));
      }
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.alive = false;
      this.failAll(new Error('model worker exited'));
    });
  }

  static start(options: WorkerOptions): Promise<WorkerModel> {
    const worker = new Worker(new URL('./model-worker.js', import.meta.url), { workerData: options satisfies WorkerOptions });
    return new Promise((resolve, reject) => {
      const first = (msg: WorkerReply): void => {
        worker.off('error', reject);
        if (msg.type === 'ready') resolve(new WorkerModel(worker, msg.meta));
        else if (msg.type === 'error') reject(fromWorker(msg.error));
      };
      worker.once('message', first);
      worker.once('error', reject);
    });
  }

  predict(batch: ColumnBatch): Promise<RunSlice> {
    if (!this.alive) return Promise.reject(new RequestError(503, 'model-down', 'this model is not loaded any more (its worker has exited); the server needs a restart'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'predict', id, batch } satisfies WorkerRequest);
    });
  }

  async release(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((done) => this.worker.once('exit', done));
    this.worker.postMessage({ type: 'release' } satisfies WorkerRequest);
    await exited;
  }

  private failAll(err: unknown): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
