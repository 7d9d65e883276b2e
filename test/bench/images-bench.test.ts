import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

/** A smoke run of `npm run bench:images` on little data, without the reference: it runs and prints its table (no timing is asserted). */
test('the image bench runs and prints the polyhead row with the CNN parameter count', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist/bench/images/run.js'), '--rows', '16', '--batch', '8', '--epochs', '1', '--no-reference'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^image bench: 16 random 48x48 images, batch 8/m);
  assert.match(r.stdout, /^polyhead +[\d.]+ +[\d.]+ +[12] +28618 +onnxruntime/m);
});
