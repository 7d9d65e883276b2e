/**
 * The contract every registered architecture meets (STYLE rule 7): logits of [batch, outputs] per
 * task, finite; seeded runs repeat exactly; every parameter gets a gradient; it learns a simple
 * problem; the frozen inference build agrees with the evaluation graph.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ARCHITECTURES, getArchitecture } from '../../src/arch/index.js';
import { Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { archInput, evalLogits, frozenLogits, lossBuild, maxAbsDiff, OPTIONS, synthetic, TASKS, train, type TrainRun } from './harness.js';

const changed = (a: Float32Array, b: Float32Array): boolean => a.some((v, i) => v !== b[i]);

for (const name of ARCHITECTURES) {
  describe(`architecture ${name}`, () => {
    const arch = getArchitecture(name);
    const probe = synthetic(40, 11);
    let first: TrainRun;
    let second: TrainRun;
    before(async () => {
      first = await train(arch, { seed: 3, epochs: 8 });
      second = await train(arch, { seed: 3, epochs: 8 });
    });
    after(async () => {
      await first.trainable.release();
      await second.trainable.release();
    });

    test('returns one logits tensor [batch, outputs] per task, in task order', () => {
      const g = new Graph();
      const logits = arch.build(new BuildContext(g, false), archInput(g), TASKS, OPTIONS);
      assert.equal(logits.length, TASKS.length);
      logits.forEach((l, i) => assert.deepEqual(l.shape, ['batch', TASKS[i]!.outputs], `task ${TASKS[i]!.name}`));
    });

    test('declares the same parameters in the same order for training and inference builds', () => {
      const names = (training: boolean) => paramLayout(lossBuild(arch), training).defs.map((d) => `${d.name}[${d.shape}]`);
      assert.deepEqual(names(false), names(true));
      assert.ok(names(true).length > 0);
    });

    test('gives finite logits of the right runtime shape', async () => {
      const out = await evalLogits(arch, first, probe);
      out.forEach((o, i) => {
        assert.deepEqual([...o.dims], [probe.rows, TASKS[i]!.outputs]);
        assert.ok(o.data.every(Number.isFinite), `task ${TASKS[i]!.name} has non-finite logits`);
      });
    });

    test('repeats exactly with the same seed', () => {
      for (const [p, v] of first.final) assert.deepEqual(second.final.get(p), v, `parameter ${p} differs between seeded runs`);
      assert.deepEqual(second.epochLoss, first.epochLoss);
    });

    test('every parameter receives a gradient', () => {
      const still = [...first.init].filter(([p, v]) => !changed(v, first.afterFirst.get(p)!)).map(([p]) => p);
      assert.deepEqual(still, [], `parameters unchanged by the first step: ${still.join(', ')}`);
    });

    test('learns: the training loss drops clearly', () => {
      const last = first.epochLoss.at(-1)!;
      assert.ok(last < 0.7 * first.firstLoss, `loss ${first.firstLoss.toFixed(3)} → ${last.toFixed(3)} (per epoch ${first.epochLoss.map((l) => l.toFixed(3))})`);
    });

    test('the frozen inference build gives the evaluation graph outputs', async () => {
      const evaluated = await evalLogits(arch, first, probe);
      const frozen = await frozenLogits(arch, first.final, probe);
      evaluated.forEach((e, i) => assert.ok(maxAbsDiff(e.data, frozen[i]!) < 1e-5, `task ${TASKS[i]!.name} differs by ${maxAbsDiff(e.data, frozen[i]!)}`));
    });
  });
}
