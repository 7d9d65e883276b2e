import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

/** A smoke run of bench/data on a small generated file: it runs and prints its figures (no timing is asserted). */
test('the data bench reads its generated file and prints throughput and memory', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist/bench/data/read.js'), '--rows', '5000'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^generated 5,000 rows × 30 columns/m);
  assert.match(r.stdout, /^read \+ infer \+ encode \(wall\)\s+[\d.]+ s\s+[\d,]+ rows\/s/m);
  assert.match(r.stdout, /^peak RSS \d+ MB = [\d.]+ × file size/m);
});
