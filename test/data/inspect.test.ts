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

  it('a data error exits with code 3 and a message naming the column', async () => {
    const path = write('t.csv', 'a,b\n1,2\n3,4\n');
    await assert.rejects(run(process.execPath, [MAIN, 'inspect', path, '--tasks', 'nope']), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 3);
      assert.match(err.stderr ?? '', /error \[unknown-column\]: .*no column 'nope'.*available columns: a, b/);
      return true;
    });
  });
});
