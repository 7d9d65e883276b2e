/** The server's options, validated once (zod); every limit has a default that a test exercises. */
import { z } from 'zod';
import { OptionError } from '../errors.js';

export const serveOptionsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Largest request body in bytes; larger ones get 413. */
  bodyLimit: z.number().int().positive().default(4 * 1024 * 1024),
  /** Most rows one request may carry; more get 413. */
  maxRows: z.number().int().positive().default(10_000),
  /** Deepest JSON nesting accepted (a V2 tensor of [n, 1] nests 5 levels); deeper is refused. */
  maxJsonDepth: z.number().int().min(2).default(8),
  /** Whole request (headers and body) must arrive within this many ms, else 408. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** Headers must arrive within this many ms, else 408 (slow-loris). */
  headersTimeoutMs: z.number().int().positive().default(10_000),
  keepAliveTimeoutMs: z.number().int().positive().default(5_000),
  /** Columns a request sends that the model does not use: ignored, or refused by name. */
  unknownColumns: z.enum(['ignore', 'refuse']).default('ignore'),
  /**
   * onnxruntime intra-op threads per model. One by default: runs happen off the event loop, so one
   * core computes while another parses and answers; more threads spin against the event loop.
   */
  threads: z.number().int().min(0).default(1),
  /** Micro-batching: concurrent requests are joined into one onnxruntime run. */
  batching: z.boolean().default(true),
  /** Most rows in one joined run. */
  maxBatchRows: z.number().int().positive().default(256),
  /**
   * How long the first request of an idle model waits for company, in ms. 0: an idle model runs at
   * once, and requests that arrive while it runs wait for the next run, so batches grow with load.
   */
  maxWaitMs: z.number().min(0).default(0),
  /** Rows waiting per model; a request that would pass it gets 503 with Retry-After. */
  maxQueueRows: z.number().int().positive().default(50_000),
  /** Event-loop delay (ms) past which requests get 503 with Retry-After (under-pressure). */
  maxEventLoopDelayMs: z.number().positive().default(1_000),
  /** Heap in use (bytes) past which requests get 503; 0 means no limit. */
  maxHeapUsedBytes: z.number().int().min(0).default(0),
  /** Seconds a 503 asks the client to wait. */
  retryAfterSeconds: z.number().int().positive().default(1),
  /** Seconds SIGTERM waits for in-flight requests before the process exits anyway. */
  shutdownGraceSeconds: z.number().positive().default(10),
});

export type ServeOptions = z.infer<typeof serveOptionsSchema>;
export type ServeOptionsInput = z.input<typeof serveOptionsSchema>;

export function parseServeOptions(input: ServeOptionsInput): ServeOptions {
  const parsed = serveOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const option = issue.path.join('.');
  const flag = option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new OptionError('bad-option', `serve option '${option}' (--${flag}): ${issue.message}`, { option });
}
