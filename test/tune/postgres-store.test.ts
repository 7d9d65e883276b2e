/** The store contract against a real PostgreSQL server, started for the test in a temporary folder. */
import { after, before } from 'node:test';
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
