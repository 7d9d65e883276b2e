/**
 * The architecture contract with an image input (issue 14): under every registered architecture the
 * image trunk's features join the table's, so the logits keep their shapes, every parameter (the conv
 * blocks' too) gets a gradient, seeded runs repeat, the frozen build agrees with the evaluation graph,
 * and the image changes the logits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ARCHITECTURES, getArchitecture, inputWidth, smallCnnFilters } from '../../src/arch/index.js';
import { Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { archInput, evalLogits, FIELDS, frozenLogits, IMAGE, maxAbsDiff, NUMERIC, OPTIONS, synthetic, TASKS, train, type TrainRun } from './harness.js';

const changed = (a: Float32Array, b: Float32Array): boolean => a.some((v, i) => v !== b[i]);

test('small-cnn stacks blocks while the pooled side stays at 4 pixels or more', () => {
  assert.deepEqual(smallCnnFilters(48, 48), [16, 32, 64]);
  assert.deepEqual(smallCnnFilters(64, 80), [16, 32, 64, 64]);
  assert.deepEqual(smallCnnFilters(16, 16), [16, 32]);
  assert.deepEqual(smallCnnFilters(8, 8), [16]);
  assert.deepEqual(smallCnnFilters(200, 200), [16, 32, 64, 64]);
});

test('the input layer is wider by the trunk vector of each image', () => {
  const width = (withImage: boolean) => inputWidth(archInput(new Graph(), withImage), { embeddingDim: 4 });
  assert.equal(width(false), NUMERIC + FIELDS.length * 4);
  assert.equal(width(true), width(false) + 16);
});

for (const name of ARCHITECTURES) {
  describe(`architecture ${name} with an image input`, () => {
    const arch = getArchitecture(name);
    const probe = synthetic(24, 11, true);
    let first: TrainRun;
    let second: TrainRun;
    before(async () => {
      first = await train(arch, { seed: 3, epochs: 2, image: true });
      second = await train(arch, { seed: 3, epochs: 2, image: true });
    });
    after(async () => {
      await first.trainable.release();
      await second.trainable.release();
    });

    test('returns [batch, outputs] per task and declares conv parameters', () => {
      const g = new Graph();
      const ctx = new BuildContext(g, false);
      const logits = arch.build(ctx, archInput(g, true), TASKS, OPTIONS);
      logits.forEach((l, i) => assert.deepEqual(l.shape, ['batch', TASKS[i]!.outputs]));
      assert.ok(ctx.params.some((p) => p.name.includes(`${IMAGE.name}.block0.conv.w`)), 'no conv parameter was declared');
    });

    test('every parameter, the conv blocks included, receives a gradient', () => {
      const still = [...first.init].filter(([p, v]) => !changed(v, first.afterFirst.get(p)!)).map(([p]) => p);
      assert.deepEqual(still, []);
    });

    test('repeats exactly with the same seed', () => {
      for (const [p, v] of first.final) assert.deepEqual(second.final.get(p), v, `parameter ${p} differs`);
    });

    test('the frozen build agrees with the evaluation graph, and the image moves the logits', async () => {
      const evaluated = await evalLogits(arch, first, probe);
      const frozen = await frozenLogits(arch, first.final, probe);
      evaluated.forEach((e, i) => assert.ok(maxAbsDiff(e.data, frozen[i]!) < 1e-5, `task ${TASKS[i]!.name} differs by ${maxAbsDiff(e.data, frozen[i]!)}`));
      const dark = { ...probe, image: new Float32Array(probe.image!.length) };
      const without = await evalLogits(arch, first, dark);
      assert.ok(without.some((w, i) => maxAbsDiff(w.data, evaluated[i]!.data) > 1e-4), 'the logits ignore the image');
      evaluated.forEach((e) => assert.ok(e.data.every(Number.isFinite)));
    });
  });
}
