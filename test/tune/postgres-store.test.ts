/** The store contract against a real PostgreSQL server, started for the test in a temporary folder. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PostgresStore } from '../../src/tune/postgres-store.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { storeContract } from './store-contract.js';

let server: TestPostgres;
let studies = 0;
/** Seconds without a heartbeat before a trial counts as abandoned: short, so the test need not wait. */
const STALE_AFTER = 1;
before(async () => (server = await startPostgres()));
after(async () => server.stop());

storeContract('postgres store', {
  study: () => {
    const study = `contract-${studies++}`;
    return () => new PostgresStore({ url: server.url, study, staleAfter: STALE_AFTER });
  },
  shared: true,
  abandoned: () => new Promise((r) => setTimeout(r, STALE_AFTER * 1000 + 200)),
});

test('postgres store: a trial keeps its claim while its worker\'s main thread is busy (as boosting keeps it), and loses it once let go', async () => {
  const study = `busy-${studies++}`;
  const config = { format: 'polyhead-study', version: 2 };
  const busy = new PostgresStore({ url: server.url, study, staleAfter: STALE_AFTER });
  await busy.open(config);
  const trial = (await busy.claim('busy', null, () => ({ lr: 0.1 })))!;
  const letGo = await busy.keepAlive(trial.number);
  // Block this thread for three times the stale age: no timer of it can fire meanwhile.
  const until = Date.now() + 3 * STALE_AFTER * 1000;
  while (Date.now() < until);
  const other = new PostgresStore({ url: server.url, study, staleAfter: STALE_AFTER });
  await other.open(config);
  assert.equal(await other.reclaim('other'), null, 'the busy worker still holds its trial');
  await letGo();
  await new Promise((r) => setTimeout(r, STALE_AFTER * 1000 + 500));
  assert.equal((await other.reclaim('other'))?.number, trial.number, 'once its heartbeats stop, another worker takes it over');
  await busy.close();
  await other.close();
});
