import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getArchitecture } from '../../src/arch/index.js';
import { emitOnnx, Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { CompiledModel, tensorData } from '../../src/runtime/session.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Random } from '../../src/util/random.js';
import { archInput, inputFeeds, lossBuild, OPTIONS, synthetic, TASKS } from './harness.js';

const mmoe = getArchitecture('mmoe');

test('the experts are one batched bank: weights [E, in, out], biases [E, 1, out]; one gate per task', () => {
  const defs = paramLayout(lossBuild(mmoe)).defs;
  const shape = (name: string) => defs.find((d) => d.name === name)?.shape;
  assert.deepEqual(shape('experts.0.w'), [OPTIONS.experts, 15, OPTIONS.hidden[0]]);
  assert.deepEqual(shape('experts.0.b'), [OPTIONS.experts, 1, OPTIONS.hidden[0]]);
  assert.deepEqual(shape('experts.1.w'), [OPTIONS.experts, OPTIONS.hidden[0], OPTIONS.hidden[1]]);
  for (const t of TASKS) assert.deepEqual(shape(`task:${t.name}.gate.w`), [15, OPTIONS.experts]);
  assert.equal(defs.filter((d) => d.name.includes('gate')).length, 2 * TASKS.length);
});

test('each task gate gives experts weights that are positive and sum to 1 per row', async () => {
  const values = initParams(paramLayout(lossBuild(mmoe)).defs, new Random(4));
  const g = new Graph();
  mmoe.build(new BuildContext(g, false, { kind: 'frozen', values }), archInput(g), TASKS, OPTIONS);
  const gates = g.nodes.filter((n) => n.op === 'softmax').map((n) => n.outputs[0]!);
  assert.equal(gates.length, TASKS.length);
  gates.forEach((t, i) => g.output(`gate${i}`, t));
  const m = emitOnnx(g);
  const s = await CompiledModel.create(m.bytes, m.inputs, { threads: 1 });
  const d = synthetic(10, 2);
  const out = await s.run(inputFeeds(d, 0, d.rows));
  await s.release();
  for (let i = 0; i < gates.length; i++) {
    const w = tensorData(out[`gate${i}`]!) as Float32Array;
    assert.deepEqual([...out[`gate${i}`]!.dims], [d.rows, OPTIONS.experts]);
    for (let r = 0; r < d.rows; r++) {
      const row = w.subarray(r * OPTIONS.experts, (r + 1) * OPTIONS.experts);
      assert.ok(row.every((v) => v > 0));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    }
  }
});
