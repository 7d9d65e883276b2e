import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { FileStore } from '../../src/tune/file-store.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-file-store-'));
let studies = 0;

storeContract('file store', {
  study: () => {
    const file = join(dir, `study-${studies++}.jsonl`);
    return () => new FileStore(file);
  },
  shared: false,
});

test('file store: a second worker on the same file is refused while the first one lives', async () => {
  const file = join(dir, 'locked.jsonl');
  const a = new FileStore(file);
  await a.open({ v: 1 });
  await assert.rejects(new FileStore(file).open({ v: 1 }), (e: unknown) => e instanceof OptionError && e.code === 'study-locked' && /postgres/.test(e.message));
  await a.close();
  const b = new FileStore(file);
  await b.open({ v: 1 });
  await b.close();
});

test('file store: a lock left by a dead process is taken over', async () => {
  const file = join(dir, 'stale.jsonl');
  // No process has pid 2^22 + 1 on Linux (pid_max is at most 2^22).
  writeFileSync(`${file}.lock`, `4194305 ${(await import('node:os')).hostname()}`);
  const store = new FileStore(file);
  await store.open({ v: 1 });
  await store.close();
});

test('file store: a line cut short by a kill is dropped, and the study goes on after it', async () => {
  const file = join(dir, 'torn.jsonl');
  const a = new FileStore(file);
  await a.open({ v: 1 });
  await a.claim('w', null, () => ({ lr: 0.1 }));
  await a.close();
  appendFileSync(file, '{"kind":"claim","trial":{"number":1,"par');
  const b = new FileStore(file);
  await b.open({ v: 1 });
  assert.deepEqual((await b.trials()).map((t) => t.number), [0]);
  assert.equal((await b.claim('w', null, () => ({ lr: 0.2 })))?.number, 1);
  await b.close();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.ok(lines.every((l) => JSON.parse(l)), 'every line parses');
});
