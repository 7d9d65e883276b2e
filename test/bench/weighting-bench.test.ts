import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Random } from '../../src/util/random.js';
import { PACKAGE_ROOT } from '../../src/version.js';

/** Two related tasks over two numeric columns and a categorical one. */
function table(rows: number, seed: number): string {
  const r = new Random(seed);
  const lines = ['x1,x2,colour,a,b'];
  for (let i = 0; i < rows; i++) {
    const x1 = r.normal();
    const x2 = r.normal();
    const colour = ['red', 'green', 'blue'][i % 3]!;
    const a = x1 + 0.5 * r.normal() > 0 ? 'yes' : 'no';
    const b = x1 + x2 + 0.5 * r.normal() > 0.7 ? 'high' : x1 + x2 > -0.7 ? 'mid' : 'low';
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${colour},${a},${b}`);
  }
  return lines.join('\n') + '\n';
}

/** A smoke run of bench/weighting on a tiny table, two seeds: it prints its table (no timing is asserted). */
test('the weighting bench trains the baseline once per seed and prints a row per method with Δm and step ratios', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wbench-test-'));
  try {
    writeFileSync(join(dir, 'train.csv'), table(400, 1));
    writeFileSync(join(dir, 'test.csv'), table(120, 2));
    const r = spawnSync(process.execPath, [
      join(PACKAGE_ROOT, 'dist/bench/weighting/run.js'), '--data', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--tasks', 'a,b',
      '--seeds', '1,2', '--epochs', '1', '--methods', 'equal,fixed,mgda', '--timing-steps', '2', '--timing-rounds', '2', '--timing-warmup', '1',
    ], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/^seed \d+: single-task /gm)?.length, 2, 'one baseline per seed, not per method');
    assert.match(r.stdout, /^\| method \| a \(\w+\) \| b \(\w+\) \| Δm % \| ms\/step \| × equal \| × equal, G on representation \|$/m);
    assert.match(r.stdout, /^\| single-task \| 0\.\d{4} ± 0\.\d{4} \| 0\.\d{4} ± 0\.\d{4} \| 0 \|/m);
    assert.match(r.stdout, /^\| equal \| [\d.± ]+ \| [\d.± ]+ \| -?\d+\.\d\d ± \d+\.\d\d \| [\d.]+ \| 1\.00 \| — \|$/m);
    assert.match(r.stdout, /^\| fixed \| .* \| [\d.]+ \| [\d.]+ \| — \|$/m);
    assert.match(r.stdout, /^\| mgda \(G\) \| .* \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$/m);
    assert.match(r.stdout, /^G on params: slowest Gram method mgda at [\d.]+× equal's step/m);
    assert.match(r.stdout, /^G on representation: slowest Gram method mgda at [\d.]+× equal's step/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
