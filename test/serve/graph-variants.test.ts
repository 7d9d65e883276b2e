/**
 * The model-cost bench's graph rewrites on a trained network: writing its LayerNormalization nodes
 * back as chains of primitives keeps the model's function (every output within float rounding, the
 * same labels); so does the first layer as gathers of its weight's rows (and it leaves no dense
 * product over the numeric block); the lower-bound rewrite finds the layer and still gives a graph onnxruntime runs.
 * Nothing is timed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { dropDenseNumeric, expandLayerNorms, gatherFirstLayer } from '../../bench/serve/graph-variants.js';
import { decodeModel, onnx } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor } from '../../src/runtime/session.js';
import { trainedModel, type Fixture } from './fixture.js';

const ROWS = 16;
let fx: Fixture;
let bytes: Uint8Array;
let feeds: Record<string, RuntimeTensor>;

const specs = (): Array<{ name: string; dtype: 'float32' | 'string'; shape: Array<string | number> }> => fx.inputs.map((i) => ({ ...i, shape: ['batch', 1] }));

async function outputs(model: Uint8Array): Promise<Record<string, RuntimeTensor>> {
  const session = await CompiledModel.create(model, specs(), { threads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

before(async () => {
  fx = await trainedModel(['--epochs', '1', '--arch', 'shared-bottom']);
  bytes = readFileSync(join(fx.model, 'model.onnx'));
  feeds = Object.fromEntries(
    fx.inputs.map((i, k) => [
      i.name,
      i.dtype === 'float32'
        ? makeTensor('float32', Float32Array.from({ length: ROWS }, (_, r) => (r * (k + 3)) % 11), [ROWS, 1])
        : makeTensor('string', Array.from({ length: ROWS }, (_, r) => ['a', 'b', 'c', 'zz'][r % 4]!), [ROWS, 1]),
    ]),
  );
});

/** Every output of `model` equals the exported file's to float rounding, labels exactly. */
async function assertSameFunction(model: ReturnType<typeof decodeModel>): Promise<void> {
  const [want, got] = [await outputs(bytes), await outputs(onnx.ModelProto.encode(model).finish())];
  for (const [name, tensor] of Object.entries(want)) {
    const [a, b] = [tensorData(tensor), tensorData(got[name]!)];
    assert.equal(b.length, a.length, name);
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] === 'number') assert.ok(Math.abs((a[i] as number) - (b[i] as number)) < 1e-5, `${name}[${i}]: ${a[i]} vs ${b[i]}`);
      else assert.equal(b[i], a[i], `${name}[${i}]`);
    }
  }
}

test('the layer norms written back as chains give the exported outputs to float rounding, eight more nodes each', async () => {
  const model = decodeModel(bytes);
  const before = model.graph!.node!.length;
  const expanded = expandLayerNorms(model);
  assert.ok(expanded > 0, 'the default network exports its layer norms as LayerNormalization nodes');
  assert.equal(model.graph!.node!.length, before + 8 * expanded);
  assert.ok(!model.graph!.node!.some((n) => n.opType === 'LayerNormalization'));
  await assertSameFunction(model);
});

test("the first layer as gathers gives the exported outputs to float rounding, and reads no numeric block", async () => {
  const model = decodeModel(bytes);
  assert.ok(gatherFirstLayer(model));
  assert.ok(!model.graph!.node!.some((n) => n.input?.includes('numeric')), 'the numeric block is no longer multiplied');
  await assertSameFunction(model);
});

test('the first-layer rewrite replaces the layer and runs', async () => {
  const meta = JSON.parse(readFileSync(join(fx.model, 'model.json'), 'utf8')) as { network: { numericWidth: number } };
  const model = decodeModel(bytes);
  assert.ok(dropDenseNumeric(model, meta.network.numericWidth));
  const names = model.graph!.node!.map((n) => n.name);
  assert.ok(names.includes('bench/first-layer'));
  assert.ok(!model.graph!.node!.some((n) => n.opType === 'Concat' && n.input?.[0] === 'numeric' && n.input.length === 2));
  const got = await outputs(onnx.ModelProto.encode(model).finish());
  for (const tensor of Object.values(got)) assert.equal(tensor.dims[0], ROWS);
});
