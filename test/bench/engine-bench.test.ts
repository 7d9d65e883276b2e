import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

/** A smoke run of `npm run bench`'s script on little data: it runs and prints its lines (no timing is asserted). */
test('the engine bench runs and prints SGEMM, throughput and latency lines', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist/bench/engine/run.js'), '--rows', '2048', '--epochs', '1', '--sgemm', '128', '--no-reference'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^engine bench: .* 274432 FLOP per sample per training step/m);
  assert.match(r.stdout, /^sgemm 128×128 float32 threads=1: onnxruntime [\d.]+ GFLOP\/s \(load [\d. ]+\)$/m);
  assert.match(r.stdout, /^shared-bottom B=256 threads=1: polyhead \d+ samples\/s = [\d.]+ GFLOP\/s \(\d+% of the SGEMM peak\), pytorch skipped \(load [\d. ]+\)$/m);
  assert.match(r.stdout, /^shared-bottom B=256 threads=2: polyhead \d+ samples\/s/m);
  assert.match(r.stdout, /^inference rows=1024 threads=1: p50 \d+ µs, p99 \d+ µs$/m);
});
