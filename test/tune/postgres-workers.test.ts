/** Two `polyhead tune` workers sharing one study in a real PostgreSQL server: no trial claimed twice. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startCli } from '../support/cli.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { syntheticFiles } from '../support/synthetic-table.js';

let server: TestPostgres;
before(async () => (server = await startPostgres()));
after(async () => server.stop());

test('two workers on one PostgreSQL study share its trials: each number claimed and finished by one worker, none lost', async () => {
  const files = syntheticFiles(600, 200);
  const trials = 8;
  const worker = (name: string) =>
    startCli(['tune', files.train, '--tasks', 'kind,flag', '--trials', String(trials), '--epochs', '3', '--threads', '1', '--storage', server.url, '--study', 'shared', '--worker', name, '--no-retrain', '--json', '--out', join(files.dir, name)]);
  const [a, b] = await Promise.all([worker('a').done, worker('b').done]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);

  const ended = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'trial-end').map((e) => e.trial.number as number);
  const byA = ended(a.stdout);
  const byB = ended(b.stdout);
  assert.deepEqual([...byA, ...byB].sort((x, y) => x - y), Array.from({ length: trials }, (_, i) => i), 'every trial ran, on one worker only');
  assert.ok(byA.length > 0 && byB.length > 0, `both workers took trials (a: ${byA.join(' ')}; b: ${byB.join(' ')})`);

  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const { rows } = await client.query<{ number: number; state: string; worker: string }>("SELECT number, state, worker FROM polyhead_trials WHERE study = 'shared' ORDER BY number");
  await client.end();
  assert.equal(rows.length, trials);
  for (const r of rows) {
    assert.notEqual(r.state, 'running', `trial ${r.number} finished`);
    assert.equal(r.worker, byA.includes(r.number) ? 'a' : 'b', `trial ${r.number} is recorded for the worker that ran it`);
  }
});
