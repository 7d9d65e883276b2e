/**
 * The heartbeat of one running trial of a PostgreSQL study, in a thread of its own: boosting runs
 * synchronously for minutes, and a heartbeat timer on the main thread would not fire meanwhile, so
 * another worker would take the trial over as abandoned and run it twice. Posts 'ready' once
 * connected (or once connecting failed: the claim then ages as a dead worker's would), beats every
 * `everyMs`, and ends on any message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';

const { url, study, trial, everyMs } = workerData as { url: string; study: string; trial: number; everyMs: number };
const port = parentPort!;
const client = new pg.Client({ connectionString: url });
client.on('error', () => undefined);
// A beat that fails is retried by the next one; a server that stays away fails the trial's finish, which reports it.
const beat = (): Promise<unknown> => client.query("UPDATE polyhead_trials SET heartbeat = now() WHERE study = $1 AND number = $2 AND state = 'running'", [study, trial]).catch(() => undefined);

await client.connect().then(beat, () => undefined);
const timer = setInterval(() => void beat(), everyMs);
port.once('message', () => {
  clearInterval(timer);
  void client.end().catch(() => undefined).finally(() => port.close());
});
port.postMessage('ready');
