import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

const BENCH = join(PACKAGE_ROOT, 'dist/bench/trees/run.js');
const tiny = ['--data', 'generated', '--rows', '3000', '--rounds', '3', '--latency-runs', '5'];
const hasSklearn = ['/usr/bin/python3', 'python3'].some((py) => spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0);

/** Smoke runs of bench/trees on a tiny generated table: they run and print their lines (no timing is asserted). */
test('the trees bench trains both modes, exports them and prints seconds, RSS, metrics and latency', () => {
  const r = spawnSync(process.execPath, [BENCH, ...tiny, '--no-reference'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^generated-3000: 2400 train, 300 valid, 300 test rows, 12 features, tasks a\(2\) b\(4\) c\(2\)/m);
  for (const mode of ['shared', 'per-task']) {
    assert.match(r.stdout, new RegExp(`^generated-3000 polyhead gbdt ${mode} \\(1 thread\\): [\\d.]+ s wall, [\\d.]+ s CPU, peak RSS \\d+ MB; a: acc 0\\.\\d+ F1 0\\.\\d+ auc 0\\.\\d+ \\| b: .*best round \\d of 3`, 'm'));
    assert.match(r.stdout, new RegExp(`^generated-3000 polyhead gbdt ${mode} exported trees .*: 1 row p50 [\\d.]+ ms p99 [\\d.]+ ms, 1024 rows p50`, 'm'));
  }
});

test('with scikit-learn present, HGB per task runs on the same rows and the ratios are printed', { skip: hasSklearn ? false : 'no scikit-learn' }, () => {
  const r = spawnSync(process.execPath, [BENCH, ...tiny, '--modes', 'shared'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^generated-3000: ratios against the fastest HGB run, hgb per task \(sklearn [\d.]+, (1 thread|2 threads|default threads)\)$/m);
  for (const threads of ['1 thread', '2 threads', 'default threads']) {
    assert.match(r.stdout, new RegExp(`^generated-3000 hgb per task \\(sklearn [\\d.]+, ${threads}\\): [\\d.]+ s wall \\(×[\\d.]+\\), [\\d.]+ s CPU \\(×[\\d.]+\\).*; rounds a \\d+, b \\d+, c \\d+`, 'm'), threads);
  }
  assert.match(r.stdout, /^generated-3000 polyhead gbdt shared \(1 thread\): [\d.]+ s wall \(×[\d.]+\), [\d.]+ s CPU \(×[\d.]+\), peak RSS \d+ MB \(×[\d.]+\); a: acc 0\.\d+ \(×[\d.]+\)/m);
});
