import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

/** A smoke run of bench/train on little data: it runs and prints one line per setting (no timing is asserted). */
test('the training bench runs both architectures and prints their lines', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist/bench/train/run.js'), '--rows', '1024', '--threads', '1', '--no-reference'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^mmoe\(8\) B=256 threads=1: polyhead \d+ samples\/s, pytorch skipped \[parameters 400432; last-epoch loss \d+\.\d+\]/m);
  assert.match(r.stdout, /^shared-bottom B=256 threads=1: polyhead \d+ samples\/s, pytorch skipped/m);
});
