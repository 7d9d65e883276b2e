import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

test('the demo (npm start) trains on the bundled Adult copy and prints the per-task comparison', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'polyhead-demo-'));
  const r = await runCli(['demo', '--quiet'], cwd);
  assert.equal(r.code, 0, r.stderr);
  for (const task of ['income', 'marital-status', 'relationship']) assert.match(r.stdout, new RegExp(`^${task}\\s+accuracy\\s+0\\.\\d{3}\\s+0\\.\\d{3}`, 'm'));
  assert.match(r.stdout, /Δm over single-task \(main metrics, marked \*\): [+-]\d+\.\d\d%/);
  assert.match(r.stdout, /polyhead predict polyhead-demo /);
  assert.ok(existsSync(join(cwd, 'polyhead-demo', 'model.onnx')));
});
