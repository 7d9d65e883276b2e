/** `polyhead inspect`: the report object, its text form, and the command itself (JSON, exit codes). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { formatReport, inspect } from '../../src/cli/inspect.js';
import { ADULT_NAMES, DATA_DIR, scratch } from './helpers.js';

const run = promisify(execFile);
const MAIN = resolve(process.cwd(), 'dist/src/cli/main.js');
const { write } = scratch();

describe('inspect', () => {
  it('reports kinds, missing shares, distinct counts, label balance and warnings', async () => {
    const report = await inspect(join(DATA_DIR, 'adult', 'adult.data'), { columns: ADULT_NAMES.join(','), tasks: 'income,relationship' });
    assert.equal(report.rows, 32_561);
    const workclass = report.columns.find((c) => c.name === 'workclass');
    assert.deepEqual({ ...workclass, missingRate: workclass?.missingRate.toFixed(4) }, {
      name: 'workclass', storage: 'string', kind: 'categorical', missingRate: '0.0564', distinct: 8,
    });
    assert.equal(report.columns.find((c) => c.name === 'income')?.kind, 'task');
    const income = report.tasks.find((t) => t.name === 'income');
    assert.deepEqual(income?.classes.map((c) => [c.label, c.count]), [['<=50K', 24_720], ['>50K', 7_841]]);
    const text = formatReport(report);
    assert.match(text, /workclass\s+categorical\s+5\.6%\s+8/);
    assert.match(text, /<=50K\s+24,720\s+75\.9%/);
  });

  it('--json prints one parseable object', async () => {
    const path = write('small.csv', 'y,x,id\n' + Array.from({ length: 30 }, (_, i) => `${i % 3 ? 'a' : 'b'},${i * 2},${i}`).join('\n') + '\n');
    const { stdout } = await run(process.execPath, [MAIN, 'inspect', path, '--tasks', 'y', '--json']);
    const report = JSON.parse(stdout) as { rows: number; columns: Array<{ name: string; kind: string }>; tasks: unknown[] };
    assert.equal(report.rows, 30);
    assert.deepEqual(report.columns.map((c) => [c.name, c.kind]), [['y', 'task'], ['x', 'identifier'], ['id', 'identifier']]);
    assert.equal(report.tasks.length, 1);
  });

  it('an ARFF file of min-max scaled fractions: every declared numeric column is numeric, also 0/1', async () => {
    const features = 30;
    const rows = 400;
    const value = (i: number, j: number): string => (i === j ? '0' : i === j + 1 ? '1' : String(((i * (2 * j + 7) + j) % 997) / 997));
    const lines = [
      "@relation 'scaled: -C -2'",
      ...Array.from({ length: features }, (_, j) => `@attribute f${j} numeric`),
      '@attribute flag numeric',
      '@attribute l1 {0,1}',
      '@attribute l2 {0,1}',
      '@data',
      ...Array.from({ length: rows }, (_, i) => [...Array.from({ length: features }, (_, j) => value(i, j)), i % 2, i % 3 ? 1 : 0, i % 5 ? 0 : 1].join(',')),
    ];
    const path = write('scaled.arff', lines.join('\n') + '\n');
    const { stdout } = await run(process.execPath, [MAIN, 'inspect', path, '--json']);
    const report = JSON.parse(stdout) as { columns: Array<{ name: string; kind: string; distinct: number }> };
    const fractions = report.columns.filter((c) => /^f\d+$/.test(c.name));
    assert.equal(fractions.length, features);
    for (const c of fractions) {
      assert.equal(c.kind, 'numeric', c.name);
      assert.ok(c.distinct > 100, `${c.name} has ${c.distinct} distinct values`);
    }
    assert.deepEqual(report.columns.find((c) => c.name === 'flag'), { name: 'flag', storage: 'number', kind: 'numeric', missingRate: 0, distinct: 2 });
    assert.deepEqual(report.columns.filter((c) => c.kind === 'task').map((c) => c.name), ['l1', 'l2']);
  });

  it('zip codes with leading zeros: categorical, with the reason on the line and a warning that says how to declare them', async () => {
    const zips = ['08123', '10001', '02139', '94105', '60601'];
    const path = write('zips.csv', 'y,zip\n' + Array.from({ length: 50 }, (_, i) => `${i % 2 ? 'a' : 'b'},${zips[i % 5]}`).join('\n') + '\n');
    const text = formatReport(await inspect(path, { tasks: 'y' }));
    assert.match(text, /zip\s+categorical\s+0\.0%\s+5\s+numbers with leading zeros: codes/);
    assert.match(text, /\[leading-zeros\] column 'zip' holds numbers written with leading zeros \('08123' \(line 2\), '02139' \(line 4\)/);
    assert.match(text, /declare the column numeric \(--kinds zip=numeric\)/);
    const declared = await inspect(path, { tasks: 'y', kinds: 'zip=numeric' });
    assert.equal(declared.columns.find((c) => c.name === 'zip')?.kind, 'numeric');
    assert.equal(declared.warnings.length, 0);
  });

  it('a data error exits with code 3 and a message naming the column', async () => {
    const path = write('t.csv', 'a,b\n1,2\n3,4\n');
    await assert.rejects(run(process.execPath, [MAIN, 'inspect', path, '--tasks', 'nope']), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 3);
      assert.match(err.stderr ?? '', /error \[unknown-column\]: .*no column 'nope'.*available columns: a, b/);
      return true;
    });
  });
});
