import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

/** A smoke run of bench/data/predict on a small generated file: it runs and prints its figures (no timing is asserted). */
test('the predict bench trains a model, predicts its generated file in chunks and prints rows/s and peak RSS', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist/bench/data/predict.js'), '--rows', '3000', '--chunk-rows', '1000'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^generated 3,000 rows × 30 columns/m);
  assert.match(r.stdout, /^predict, chunks of 1,000 rows\s+[\d.]+ s\s+[\d,]+ rows\/s\s+CPU\s+[\d.]+ s\s+[\d,]+ rows\/s\s+peak RSS\s+\d+ MB = [\d.]+ × file size/m);
  assert.match(r.stdout, /^whole file at once \(before streaming\)\s+[\d.]+ s\s+[\d,]+ rows\/s\s+CPU\s+[\d.]+ s\s+[\d,]+ rows\/s\s+peak RSS\s+\d+ MB/m);
  assert.match(r.stderr, /wrote 3000 predictions/);
});
