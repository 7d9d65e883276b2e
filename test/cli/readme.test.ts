import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../support/cli.js';

/** The `npx polyhead ...` lines of README's code blocks, run in order as a user would. */
test('every polyhead command in the README runs and succeeds', async () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const commands = readme.split('\n').filter((l) => l.startsWith('npx polyhead '));
  assert.ok(commands.length >= 4, 'the README shows the commands');
  const cwd = mkdtempSync(join(tmpdir(), 'polyhead-readme-'));
  for (const line of commands) {
    const args = line.replace(/^npx polyhead /, '').split(/\s+/).map((a) => (a.startsWith('assets/') ? join(PACKAGE_ROOT, a) : a));
    const r = await runCli(args, cwd);
    assert.equal(r.code, 0, `${line}\n${r.stderr}`);
  }
  assert.ok(existsSync(join(cwd, 'adult-mmoe', 'model.onnx')));
  assert.equal(readFileSync(join(cwd, 'predictions.csv'), 'utf8').trim().split('\n').length, 16282);
});
