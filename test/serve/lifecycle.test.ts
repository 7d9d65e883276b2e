/**
 * `polyhead serve` as a user runs it: a folder of models, a model whose model.onnx fails its sha256
 * refused at start with the reason, and SIGTERM finishing the request in flight before exiting.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli, startCli } from '../support/cli.js';
import { csvRows, send, trainedModel, type Fixture } from './fixture.js';

let fx: Fixture;
let rows: Array<Record<string, unknown>>;

before(async () => {
  fx = await trainedModel();
  rows = csvRows(readFileSync(fx.test, 'utf8'), fx.inputs).slice(0, 5);
});

/** Starts the CLI server on a free port and resolves with its URL once it listens. */
function serve(args: string[]) {
  const run = startCli(['serve', ...args, '--port', '0']);
  let stderr = '';
  const url = new Promise<string>((resolve, reject) => {
    run.child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void run.done.then((r) => reject(new Error(`serve exited ${r.code}: ${r.stderr}`)));
  });
  return { ...run, url };
}

test('a folder of model folders serves each by its folder name', async () => {
  cpSync(fx.model, join(fx.root, 'synth2'), { recursive: true });
  const s = serve([fx.root]);
  try {
    const url = await s.url;
    for (const name of ['synth', 'synth2']) assert.equal((await send(`${url}/v2/models/${name}/ready`, undefined, '', 'GET')).status, 200);
    const ambiguous = await send(`${url}/v1/predict`, { rows });
    assert.equal(ambiguous.status, 400);
    assert.match(ambiguous.body.error, /several models are served; add \?model=NAME \(one of synth, synth2\)/);
    const chosen = await send(`${url}/v1/predict?model=synth2`, { rows });
    assert.equal(chosen.status, 200);
    assert.equal(chosen.body.predictions.length, rows.length);
  } finally {
    s.child.kill('SIGTERM');
    await s.done;
  }
});

test('a model whose model.onnx fails its sha256 is refused at start, with the reason', async () => {
  const broken = join(fx.root, '..', 'broken');
  cpSync(fx.model, broken, { recursive: true });
  appendFileSync(join(broken, 'model.onnx'), Buffer.from([0]));
  const r = await runCli(['serve', broken, '--port', '0']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /\[model-checksum\].*model\.onnx does not match the size and sha256 recorded in model\.json/);
  assert.doesNotMatch(r.stderr, /serving on/);
});

test('SIGTERM lets the request in flight finish, then the server exits 0', async () => {
  // A long batching wait keeps the request in flight while the signal arrives.
  const s = serve([fx.model, '--max-wait-ms', '1500']);
  const url = await s.url;
  const answer = send(`${url}/v1/predict`, { rows });
  await new Promise((done) => setTimeout(done, 500));
  s.child.kill('SIGTERM');
  const r = await answer;
  assert.equal(r.status, 200);
  assert.equal(r.body.predictions.length, rows.length);
  const exit = await s.done;
  assert.equal(exit.code, 0, exit.stderr);
  assert.match(exit.stderr, /SIGTERM: closing, finishing in-flight requests/);
  assert.match(exit.stderr, /POST \/v1\/predict 200/);
  await assert.rejects(fetch(`${url}/v2/health/live`), 'the port is closed afterwards');
});
