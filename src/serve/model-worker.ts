/**
 * The worker thread that owns a served model's one onnxruntime session. onnxruntime-node runs a
 * session synchronously on the calling thread, so a run on the server's event loop would stall
 * parsing and answering; here it runs beside it. The micro-batcher sends each event-loop turn's
 * requests as they come (a ColumnBatch per message: two arrays to copy); when a run ends, the
 * batches that arrived during it are joined into the next run (up to `maxBatchRows`; 0 runs each
 * batch alone), so runs are as large as the load makes them and the worker never waits for the
 * event loop to answer. Out: per run, per-task probabilities and labels as class indices (their
 * buffers transferred: no strings to clone, the main thread names the classes from text it wrote
 * once) and which rows each batch got; or the error's name, code, message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PolyheadModel, type TaskPrediction } from '../bundle/model.js';
import { ModelError, PolyheadError } from '../errors.js';
import type { RawColumnValues } from '../features/index.js';
import { concatBatches, inputSlots, takeWhole, type ColumnBatch, type InputColumn } from './columns.js';

export interface WorkerError {
  name: string;
  code?: string;
  message: string;
}

/** A task's predictions over a run's rows, as they cross back from the worker. */
export interface ServedPrediction {
  /** Row-major [rows × classes (or labels)]. */
  probabilities: Float32Array;
  /** Single-label: the index of its class per row. Multi-label: 0/1 per row and label. */
  labels: Int32Array | BigInt64Array;
}

/** A run's answer: `ids[i]`'s batch is rows [starts[i], starts[i] + its rows) of the run's `total`. */
export interface RunResult {
  type: 'result';
  run: number;
  ids: number[];
  starts: number[];
  total: number;
  predictions: ServedPrediction[];
}

export type WorkerReply = { type: 'ready'; meta: PolyheadModel['meta'] } | RunResult | { type: 'error'; ids: number[]; error: WorkerError };

export type WorkerRequest = { type: 'predict'; id: number; batch: ColumnBatch } | { type: 'release' };

export interface WorkerOptions {
  dir: string;
  threads: number;
  /** Most rows a run joins batches up to; 0: every batch runs alone. */
  maxBatchRows: number;
}

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof PolyheadError ? { name: err.name, code: err.code, message: err.message } : { name: 'Error', message: err instanceof Error ? err.name : String(err) };

/** The batch's columns as the model's raw inputs: views into its two arrays, no conversion. */
function rawValues(batch: ColumnBatch, inputs: readonly InputColumn[], slots: readonly number[]): RawColumnValues[] {
  const n = batch.rows;
  return inputs.map((input, j) => {
    const from = slots[j]! * n;
    return input.dtype === 'float32'
      ? { name: input.name, dtype: 'float32', values: batch.numbers.subarray(from, from + n) }
      : { name: input.name, dtype: 'string', values: batch.strings.slice(from, from + n) };
  });
}

/** The model's predictions with each class name replaced by its index among the task's classes. */
function indexLabels(predictions: TaskPrediction[], classIndex: ReadonlyArray<ReadonlyMap<string, number>>): ServedPrediction[] {
  return predictions.map((p, t) => {
    if (p.labels instanceof BigInt64Array) return { probabilities: p.probabilities, labels: p.labels };
    const index = classIndex[t]!;
    const labels = new Int32Array(p.labels.length);
    for (let r = 0; r < labels.length; r++) {
      const i = index.get(p.labels[r]!);
      if (i === undefined) throw new ModelError('label-unknown', `the model answered '${p.labels[r]}' for task '${p.task}', which is not one of its classes; the folder is damaged, train the model again`);
      labels[r] = i;
    }
    return { probabilities: p.probabilities, labels };
  });
}

type PredictRequest = Extract<WorkerRequest, { type: 'predict' }>;

const port = parentPort!;
const { dir, threads, maxBatchRows } = workerData as WorkerOptions;

try {
  const model = await PolyheadModel.load(dir, threads);
  // Image inputs never reach here: served-model.ts refuses a model that has them once this worker is ready.
  const inputs = model.meta.onnx.inputs.filter((i): i is InputColumn => i.dtype !== 'uint8');
  const slots = inputSlots(inputs);
  const classIndex = model.meta.tasks.map((t) => new Map(t.classes.map((c, i) => [c, i])));
  const pending: PredictRequest[] = [];
  let running = false;
  let runs = 0;

  const runNext = (): void => {
    running = true;
    const taken = takeWhole(pending, maxBatchRows);
    const ids = taken.map((m) => m.id);
    const starts: number[] = [];
    let total = 0;
    for (const m of taken) {
      starts.push(total);
      total += m.batch.rows;
    }
    const batch = concatBatches(taken.map((m) => m.batch), inputs);
    const run = runs++;
    model
      .predictValues(rawValues(batch, inputs, slots), total)
      .then((named) => {
        const predictions = indexLabels(named, classIndex);
        const buffers = predictions.flatMap((p) => [p.probabilities.buffer as ArrayBuffer, p.labels.buffer as ArrayBuffer]);
        port.postMessage({ type: 'result', run, ids, starts, total, predictions } satisfies WorkerReply, buffers);
      })
      .catch((err: unknown) => port.postMessage({ type: 'error', ids, error: toWorkerError(err) } satisfies WorkerReply))
      .finally(() => {
        running = false;
        // On the next turn, after the messages that arrived during this run have been taken in.
        if (pending.length > 0) setImmediate(runNext);
      });
  };

  port.on('message', (msg: WorkerRequest) => {
    // In a worker, process.exit ends this thread only, once the session is released.
    if (msg.type === 'release') return void model.release().then(() => process.exit(0));
    pending.push(msg);
    if (!running && pending.length === 1) setImmediate(runNext);
  });
  port.postMessage({ type: 'ready', meta: model.meta } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'error', ids: [-1], error: toWorkerError(err) } satisfies WorkerReply);
  port.close();
}
