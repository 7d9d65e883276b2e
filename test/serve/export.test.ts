/**
 * `polyhead export`: the Triton repository's config.pbtxt agrees with the ONNX file's inputs and
 * outputs as onnxruntime-node reads them, and --web writes the files the server shows at `/`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { runCli } from '../support/cli.js';
import { startTestServer, trainedModel, type Fixture, type TestServer } from './fixture.js';

let fx: Fixture;
let out: string;
let server: TestServer;

before(async () => {
  fx = await trainedModel();
  out = join(fx.root, '..', 'exported');
  const r = await runCli(['export', fx.model, '--triton', join(out, 'triton'), '--web', join(out, 'web'), '--max-batch-size', '256']);
  assert.equal(r.code, 0, r.stderr);
  server = await startTestServer([fx.model]);
});
after(async () => server?.app.close());

interface Entry {
  name: string;
  type: string;
  dims: number[];
  reshape: boolean;
}

function entries(config: string, section: 'input' | 'output'): Entry[] {
  const block = new RegExp(`^${section} \\[\\n([\\s\\S]*?)\\n\\]`, 'm').exec(config)![1]!;
  return [...block.matchAll(/\{\s*name: "([^"]+)"\s*data_type: (\w+)\s*dims: \[ ([^\]]*) \](\s*reshape: \{ shape: \[ \] \})?\s*\}/g)].map((m) => ({
    name: m[1]!,
    type: m[2]!,
    dims: m[3]!.split(',').map((d) => Number(d.trim())),
    reshape: m[4] !== undefined,
  }));
}

const TRITON: Record<string, string> = { float32: 'TYPE_FP32', string: 'TYPE_STRING', int64: 'TYPE_INT64' };

/** What Triton's entry must be for a tensor of this type and shape, batch first. */
function expectedEntry(m: ort.InferenceSession.ValueMetadata): Entry {
  assert.ok(m.isTensor);
  const [batch, ...rest] = m.shape;
  assert.equal(typeof batch, 'string', `${m.name}: the first dimension is the symbolic batch`);
  return { name: m.name, type: TRITON[m.type]!, dims: rest.length === 0 ? [1] : (rest as number[]), reshape: rest.length === 0 };
}

test('config.pbtxt lists exactly the ONNX inputs and outputs, with Triton types, dims without the batch, batching on', async () => {
  const dir = join(out, 'triton', 'synth');
  const config = readFileSync(join(dir, 'config.pbtxt'), 'utf8');
  const onnx = readFileSync(join(dir, '1', 'model.onnx'));
  assert.ok(onnx.equals(readFileSync(join(fx.model, 'model.onnx'))), '1/model.onnx is the model file');
  const session = await ort.InferenceSession.create(onnx);
  try {
    assert.deepEqual(entries(config, 'input'), session.inputMetadata.map(expectedEntry));
    assert.deepEqual(entries(config, 'output'), session.outputMetadata.map(expectedEntry));
  } finally {
    await session.release();
  }
  assert.match(config, /^name: "synth"$/m);
  assert.match(config, /^platform: "onnxruntime_onnx"$/m);
  assert.match(config, /^max_batch_size: 256$/m);
  assert.match(config, /^dynamic_batching \{\n {2}max_queue_delay_microseconds: 1000\n\}$/m);
});

test('--web writes the same files the server answers under /', async () => {
  for (const path of ['index.html', 'app.js', 'models.json', 'models/synth/page.json', 'models/synth/model.onnx', 'ort/ort.wasm.min.mjs', 'ort/ort-wasm-simd-threaded.wasm']) {
    const res = await fetch(`${server.url}/${path}`);
    assert.equal(res.status, 200, path);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(out, 'web', path))), path);
  }
  const page = JSON.parse(readFileSync(join(out, 'web', 'models/synth/page.json'), 'utf8')) as { fields: Array<{ name: string; kind: string; choices?: string[] }> };
  assert.deepEqual(page.fields.map((f) => f.name), fx.inputs.map((i) => i.name));
  const color = page.fields.find((f) => f.name === 'color')!;
  assert.equal(color.kind, 'categorical');
  assert.deepEqual([...color.choices!].sort(), ['amber', 'blue', 'green', 'red', 'violet']);
  assert.equal(page.fields.find((f) => f.name === 'x1')!.kind, 'numeric');
});
