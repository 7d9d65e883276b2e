/**
 * Micro-batching, as Triton's dynamic batcher: requests that arrive while the model is busy (or
 * within `maxWaitMs` of an idle model's first one) are joined into one onnxruntime run of at most
 * `maxBatchRows` rows, and each gets its slice of the result. The queue is bounded in rows: a
 * request that would pass `maxQueueRows` is answered 503 at once rather than queued without bound.
 * At most two runs are out at once per model: one computing in the worker and the next waiting
 * beside it, so the worker never idles while the event loop answers the last run's requests.
 */
import type { TaskPrediction } from '../bundle/model.js';
import { concatBatches, type ColumnBatch, type InputColumn } from './columns.js';
import { RequestError } from './request-error.js';

export interface BatcherOptions {
  enabled: boolean;
  maxBatchRows: number;
  maxWaitMs: number;
  maxQueueRows: number;
  retryAfterSeconds: number;
}

/**
 * A request's rows of a run: rows [start, start + rows) of each task's prediction over `total` rows.
 * Answers are written straight from the run's arrays, so joined requests are not copied apart.
 */
export interface PredictionRows {
  predictions: TaskPrediction[];
  total: number;
  start: number;
  rows: number;
}

interface Pending {
  batch: ColumnBatch;
  resolve: (p: PredictionRows) => void;
  reject: (err: unknown) => void;
}

const MAX_IN_FLIGHT = 2;

export type RunBatch = (batch: ColumnBatch) => Promise<TaskPrediction[]>;

/** The rows' predictions as arrays of their own. */
export function slicePredictions({ predictions, total, start, rows }: PredictionRows): TaskPrediction[] {
  return predictions.map((p) => {
    const width = p.probabilities.length / total;
    const labels = p.labels instanceof BigInt64Array ? p.labels.slice(start * width, (start + rows) * width) : p.labels.slice(start, start + rows);
    return { ...p, probabilities: p.probabilities.slice(start * width, (start + rows) * width), labels };
  });
}

export class MicroBatcher {
  private readonly queue: Pending[] = [];
  private queuedRows = 0;
  private inFlight = 0;
  private flushSoon = false;
  private timer: NodeJS.Timeout | undefined;
  /** Runs made and rows they carried, for the bench to show the batching. */
  readonly stats = { runs: 0, rows: 0 };

  constructor(
    private readonly run: RunBatch,
    private readonly inputs: readonly InputColumn[],
    private readonly options: BatcherOptions,
  ) {}

  submit(batch: ColumnBatch): Promise<PredictionRows> {
    if (this.queuedRows + batch.rows > this.options.maxQueueRows) {
      return Promise.reject(
        new RequestError(503, 'overloaded', `the server is busy (${this.queuedRows} rows waiting); retry in ${this.options.retryAfterSeconds} s`, {
          retryAfter: this.options.retryAfterSeconds,
        }),
      );
    }
    if (!this.options.enabled) return this.count(batch, this.run(batch)).then((predictions) => ({ predictions, total: batch.rows, start: 0, rows: batch.rows }));
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.queuedRows += batch.rows;
      this.schedule();
    });
  }

  private count(batch: ColumnBatch, result: Promise<TaskPrediction[]>): Promise<TaskPrediction[]> {
    this.stats.runs++;
    this.stats.rows += batch.rows;
    return result;
  }

  private schedule(): void {
    if (this.flushSoon || this.timer || this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    if (this.queuedRows >= this.options.maxBatchRows || this.options.maxWaitMs === 0) {
      this.flushSoon = true;
      setImmediate(() => void this.flush());
      return;
    }
    this.timer = setTimeout(() => void this.flush(), this.options.maxWaitMs);
  }

  /** Takes whole requests up to maxBatchRows (always at least one) and runs them as one. */
  private async flush(): Promise<void> {
    this.flushSoon = false;
    this.timer = undefined;
    const taken: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (taken.length === 0 || rows + this.queue[0]!.batch.rows <= this.options.maxBatchRows)) {
      const next = this.queue.shift()!;
      rows += next.batch.rows;
      taken.push(next);
    }
    this.queuedRows -= rows;
    this.inFlight++;
    this.schedule();
    try {
      const joined = concatBatches(taken.map((p) => p.batch), this.inputs);
      const all = await this.count(joined, this.run(joined));
      let start = 0;
      for (const p of taken) {
        p.resolve({ predictions: all, total: joined.rows, start, rows: p.batch.rows });
        start += p.batch.rows;
      }
    } catch (err) {
      for (const p of taken) p.reject(err);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
