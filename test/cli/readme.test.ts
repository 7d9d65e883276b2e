import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
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

/** The README's library example, run as a user's ESM script (the package name resolved to this build). */
test('the README library example trains, loads and predicts', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 1, 'the README shows one library example');
  const entry = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'src', 'index.js')).href;
  const script = blocks[0]!
    .replace("from 'polyhead'", `from ${JSON.stringify(entry)}`)
    .replace(/'assets\//g, `'${join(PACKAGE_ROOT, 'assets')}/`);
  const cwd = mkdtempSync(join(tmpdir(), 'polyhead-readme-api-'));
  writeFileSync(join(cwd, 'example.mjs'), script);
  const r = spawnSync(process.execPath, ['example.mjs'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(cwd, 'adult-model', 'model.json')));
  assert.match(r.stdout, /income: \{[\s\S]*accuracy/);
  assert.match(r.stdout, /\[\s*'(<=50K|>50K)'/);
});
