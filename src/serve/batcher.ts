/**
 * Micro-batching, as Triton's dynamic batcher: requests that arrive in the same event-loop turn (or
 * within `maxWaitMs` of an idle model's first one) are sent to the model's worker together, in
 * batches of whole requests of at most `maxBatchRows` rows, and the worker joins the batches that
 * arrive while it runs into its next run (model-worker.ts); each request gets its slice of its run's
 * result. The rows waiting (sent or not, until answered) are bounded: a request that would pass
 * `maxQueueRows` is answered 503 at once rather than queued without bound.
 */
import type { ModelMetadata } from '../bundle/metadata.js';
import type { TaskPrediction } from '../bundle/model.js';
import { concatBatches, takeWhole, type ColumnBatch, type InputColumn } from './columns.js';
import type { ServedPrediction } from './model-worker.js';
import { RequestError } from './request-error.js';
import type { RunSlice } from './worker-model.js';

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
  predictions: ServedPrediction[];
  total: number;
  start: number;
  rows: number;
}

interface Pending {
  batch: ColumnBatch;
  resolve: (p: PredictionRows) => void;
  reject: (err: unknown) => void;
}

export type RunBatch = (batch: ColumnBatch) => Promise<RunSlice>;

/** The rows' predictions as arrays of their own, classes by name, as `polyhead predict` has them. */
export function slicePredictions({ predictions, total, start, rows }: PredictionRows, tasks: ModelMetadata['tasks']): TaskPrediction[] {
  return predictions.map((p, t) => {
    const { name, type, classes } = tasks[t]!;
    const width = p.probabilities.length / total;
    const labels = p.labels instanceof BigInt64Array ? p.labels.slice(start * width, (start + rows) * width) : Array.from(p.labels.subarray(start, start + rows), (i) => classes[i]!);
    return { task: name, type, probabilities: p.probabilities.slice(start * width, (start + rows) * width), labels };
  });
}

export class MicroBatcher {
  private readonly queue: Pending[] = [];
  /** Rows in the queue, not yet sent. */
  private queuedRows = 0;
  /** Rows sent to the worker and not yet answered. */
  private sentRows = 0;
  private flushSoon = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRun = -1;
  /** Runs made and rows they carried, for the bench to show the batching. */
  readonly stats = { runs: 0, rows: 0 };

  constructor(
    private readonly run: RunBatch,
    private readonly inputs: readonly InputColumn[],
    private readonly options: BatcherOptions,
  ) {}

  submit(batch: ColumnBatch): Promise<PredictionRows> {
    const waiting = this.queuedRows + this.sentRows;
    if (waiting + batch.rows > this.options.maxQueueRows) {
      return Promise.reject(
        new RequestError(503, 'overloaded', `the server is busy (${waiting} rows waiting); retry in ${this.options.retryAfterSeconds} s`, {
          retryAfter: this.options.retryAfterSeconds,
        }),
      );
    }
    if (!this.options.enabled) return this.send(batch).then((slice) => ({ predictions: slice.predictions, total: slice.total, start: slice.start, rows: batch.rows }));
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.queuedRows += batch.rows;
      this.schedule();
    });
  }

  /** Sends a batch to the worker, counting it waiting until answered and its run once. */
  private send(batch: ColumnBatch): Promise<RunSlice> {
    this.sentRows += batch.rows;
    const answered = (): void => void (this.sentRows -= batch.rows);
    return this.run(batch).then(
      (slice) => {
        answered();
        if (slice.run !== this.lastRun) {
          this.lastRun = slice.run;
          this.stats.runs++;
          this.stats.rows += slice.total;
        }
        return slice;
      },
      (err: unknown) => {
        answered();
        throw err;
      },
    );
  }

  private schedule(): void {
    if (this.flushSoon) return;
    // A busy worker joins whatever arrives meanwhile into its next run, so only an idle one is worth waiting for.
    const idle = this.sentRows === 0;
    if (this.queuedRows >= this.options.maxBatchRows || this.options.maxWaitMs === 0 || !idle) {
      this.flushSoon = true;
      setImmediate(() => this.flush());
    } else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  /** Sends the queue as batches of whole requests up to maxBatchRows (always at least one). */
  private flush(): void {
    this.flushSoon = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const taken = takeWhole(this.queue, this.options.maxBatchRows);
      for (const p of taken) this.queuedRows -= p.batch.rows;
      this.send(concatBatches(taken.map((p) => p.batch), this.inputs)).then(
        (slice) => {
          let start = slice.start;
          for (const p of taken) {
            p.resolve({ predictions: slice.predictions, total: slice.total, start, rows: p.batch.rows });
            start += p.batch.rows;
          }
        },
        (err: unknown) => {
          for (const p of taken) p.reject(err);
        },
      );
    }
  }
}
