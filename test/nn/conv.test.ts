import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitOnnx, globalAvgPool2d, Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { convBlock, groupNorm } from '../../src/nn/conv.js';
import { initParams } from '../../src/nn/init.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { Random } from '../../src/util/random.js';

function trunk(ctx: BuildContext) {
  const x = ctx.graph.input('x', 'float32', ['batch', 3, 16, 16]);
  const a = convBlock(ctx, 'b1', x, { filters: 8 });
  const b = convBlock(ctx, 'b2', a, { filters: 12, kernel: 5, pool: 'avg' });
  return { a, b, pooled: globalAvgPool2d(b) };
}

test('conv blocks declare He-initialised kernels, per-channel norms, and halve height and width', () => {
  const ctx = new BuildContext(new Graph(), false);
  const { a, b, pooled } = trunk(ctx);
  assert.deepEqual(a.shape, ['batch', 8, 8, 8]);
  assert.deepEqual(b.shape, ['batch', 12, 4, 4]);
  assert.deepEqual(pooled.shape, ['batch', 12]);
  assert.deepEqual(ctx.params.map((p) => [p.name, p.shape.join('x')]), [
    ['b1.conv.w', '8x3x3x3'], ['b1.conv.b', '8x1x1'], ['b1.norm.gain', '8x1x1'], ['b1.norm.bias', '8x1x1'],
    ['b2.conv.w', '12x8x5x5'], ['b2.conv.b', '12x1x1'], ['b2.norm.gain', '12x1x1'], ['b2.norm.bias', '12x1x1'],
  ]);
  assert.deepEqual(ctx.params[4]!.fans, [8 * 25, 12 * 25]);
});

test('a frozen trunk runs in onnxruntime on a batch of two, and group norm standardises each group', async () => {
  const build = (c: BuildContext) => ({ pooled: trunk(c).pooled, norm: groupNorm(c, 'n', c.graph.inputNamed('x')!, 3) });
  const probe = new BuildContext(new Graph(), false);
  build(probe);
  const ctx = new BuildContext(new Graph(), false, { kind: 'frozen', values: initParams(probe.params, new Random(5)) });
  const { pooled, norm } = build(ctx);
  ctx.graph.output('pooled', pooled);
  ctx.graph.output('norm', norm);
  const model = emitOnnx(ctx.graph, 'trunk');
  const session = await CompiledModel.create(model.bytes, model.inputs, { threads: 1 });
  const rng = new Random(9);
  const x = Float32Array.from({ length: 2 * 3 * 16 * 16 }, () => rng.uniform(0, 4));
  const out = await session.run({ x: makeTensor('float32', x, [2, 3, 16, 16]) });
  const pooledValues = tensorData(out.pooled!) as Float32Array;
  assert.equal(pooledValues.length, 2 * 12);
  assert.ok(pooledValues.every(Number.isFinite));
  const n = tensorData(out.norm!) as Float32Array;
  for (let group = 0; group < 2 * 3; group++) {
    const v = n.subarray(group * 256, (group + 1) * 256);
    const mean = v.reduce((s, y) => s + y, 0) / v.length;
    const variance = v.reduce((s, y) => s + (y - mean) ** 2, 0) / v.length;
    assert.ok(Math.abs(mean) < 1e-4 && Math.abs(variance - 1) < 1e-3, `group ${group}: mean ${mean}, variance ${variance}`);
  }
  await session.release();
});
