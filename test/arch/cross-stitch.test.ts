import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossStitch, crossStitchInit } from '../../src/arch/cross-stitch.js';
import { getArchitecture } from '../../src/arch/index.js';
import { emitOnnx, Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { lossBuild, OPTIONS } from './harness.js';

test('the cross-stitch matrix starts at 0.9 on the diagonal and 0.1/(T−1) elsewhere', () => {
  const a = crossStitchInit(3);
  for (let t = 0; t < 3; t++) for (let s = 0; s < 3; s++) assert.ok(Math.abs(a[t * 3 + s]! - (t === s ? 0.9 : 0.05)) < 1e-7);
  assert.deepEqual([...crossStitchInit(2)].map((v) => Math.round(v * 10) / 10), [0.9, 0.1, 0.1, 0.9]);
  assert.deepEqual([...crossStitchInit(1)], [1]);
});

test('one stitch per hidden layer, each a T×T matrix starting at zero offset', () => {
  const stitches = paramLayout(lossBuild(getArchitecture('cross-stitch'))).defs.filter((d) => d.name.startsWith('cross-stitch'));
  assert.deepEqual(stitches.map((d) => `${d.name}[${d.shape}]`), OPTIONS.hidden.map((_, l) => `cross-stitch.${l}.delta[3,3]`));
  assert.ok(stitches.every((d) => d.init.kind === 'constant' && d.init.value === 0));
});

test('a stitch mixes the columns: h′_t = Σ_s α[t, s]·h_s', async () => {
  const g = new Graph();
  const cols = [0, 1, 2].map((i) => g.input(`h${i}`, 'float32', ['batch', 2]));
  const delta = Float32Array.of(0, 0, 0, 0, 0.5, 0, 0, 0, -0.9);
  const ctx = new BuildContext(g, false, { kind: 'frozen', values: new Map([['s.delta', delta]]) });
  crossStitch(ctx, 's', cols).forEach((c, i) => g.output(`o${i}`, c));
  const m = emitOnnx(g);
  const s = await CompiledModel.create(m.bytes, m.inputs, { threads: 1 });
  const h = [Float32Array.of(1, 2), Float32Array.of(10, 20), Float32Array.of(100, 200)];
  const out = await s.run(Object.fromEntries(h.map((v, i) => [`h${i}`, makeTensor('float32', v, [1, 2])])));
  await s.release();
  const alpha = crossStitchInit(3).map((v, i) => v + delta[i]!);
  for (let t = 0; t < 3; t++) {
    const expected = [0, 1].map((k) => h.reduce((acc, col, s2) => acc + alpha[t * 3 + s2]! * col[k]!, 0));
    const got = tensorData(out[`o${t}`]!) as Float32Array;
    expected.forEach((e, k) => assert.ok(Math.abs(got[k]! - e) < 1e-4, `column ${t}: ${[...got]} vs ${expected}`));
  }
  const single = new Graph();
  const only = single.input('h', 'float32', ['batch', 2]);
  assert.deepEqual(crossStitch(new BuildContext(single, false), 's', [only]), [only]);
});
