/**
 * A pool worker for threads.test.ts whose job kind 1 throws, as a bug in a job would. The test
 * runner also loads every file under test/ on the main thread, where it does nothing.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { serveTreePool } from '../../src/trees/pool.js';

if (!isMainThread) {
  serveTreePool(workerData, (kind, _args, part) => {
    if (kind === 1) throw new Error(`job ${kind} failed in part ${part}`);
    return 10 + part;
  });
}
