/** `polyhead serve MODEL...`: the HTTP server (Open Inference Protocol, /invocations, /v1/predict, the browser page). */
import type { Command } from 'commander';
import { stderrLog } from '../serve/log-lines.js';
import { parseServeOptions } from '../serve/options.js';
import { startServer } from '../serve/start.js';
import { number } from './options.js';

interface ServeFlags {
  host: string;
  port: number;
  bodyLimit?: number;
  maxRows?: number;
  unknownColumns?: string;
  batching: boolean;
  threads?: number;
  maxBatchRows?: number;
  maxWaitMs?: number;
  maxQueueRows?: number;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve models over HTTP: Open Inference Protocol (KServe v2), MLflow /invocations, /v1/predict, and a browser page at /')
    .argument('<models...>', 'model folders, or folders holding model folders (a model is named after its folder)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', number('port'), 8080)
    .option('--body-limit <bytes>', 'largest request body (413 past it)', number('body-limit'))
    .option('--max-rows <n>', 'most rows per request (413 past it)', number('max-rows'))
    .option('--unknown-columns <mode>', "columns the model does not read: 'ignore' or 'refuse'")
    .option('--threads <n>', 'onnxruntime threads per model (default 1; 0 lets onnxruntime choose)', number('threads'))
    .option('--no-batching', 'run each request on its own instead of joining concurrent ones')
    .option('--max-batch-rows <n>', 'most rows in one joined run', number('max-batch-rows'))
    .option('--max-wait-ms <ms>', 'how long an idle model waits to join requests', number('max-wait-ms'))
    .option('--max-queue-rows <n>', 'rows that may wait per model (503 past it)', number('max-queue-rows'))
    .option('--request-timeout-ms <ms>', 'time for a whole request to arrive (408 past it)', number('request-timeout-ms'))
    .option('--headers-timeout-ms <ms>', 'time for the headers to arrive (408 past it)', number('headers-timeout-ms'))
    .action(async (paths: string[], flags: ServeFlags) => {
      const options = parseServeOptions({
        host: flags.host,
        port: flags.port,
        batching: flags.batching,
        ...(flags.bodyLimit !== undefined ? { bodyLimit: flags.bodyLimit } : {}),
        ...(flags.maxRows !== undefined ? { maxRows: flags.maxRows } : {}),
        ...(flags.unknownColumns !== undefined ? { unknownColumns: flags.unknownColumns as 'ignore' } : {}),
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
        ...(flags.maxBatchRows !== undefined ? { maxBatchRows: flags.maxBatchRows } : {}),
        ...(flags.maxWaitMs !== undefined ? { maxWaitMs: flags.maxWaitMs } : {}),
        ...(flags.maxQueueRows !== undefined ? { maxQueueRows: flags.maxQueueRows } : {}),
        ...(flags.requestTimeoutMs !== undefined ? { requestTimeoutMs: flags.requestTimeoutMs } : {}),
        ...(flags.headersTimeoutMs !== undefined ? { headersTimeoutMs: flags.headersTimeoutMs } : {}),
      });
      const log = stderrLog();
      const { url } = await startServer(paths, options, log);
      log(`serving on ${url} (page at ${url}/, Open Inference Protocol at ${url}/v2)`);
    });
}
