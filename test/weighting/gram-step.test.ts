/**
 * The two-graph step: G from graph A is J Jᵀ of the per-task gradients (over the shared parameters
 * or the shared representation), and applying coefficients through graph B moves the parameters
 * exactly as the one-graph step with the same coefficients does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { div, matmul, sumAll, type Tensor } from '../../src/graph/index.js';
import type { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { makeTensor } from '../../src/runtime/session.js';
import { adam, sgd } from '../../src/train/optimizers/index.js';
import { ARCHITECTURES, getArchitecture } from '../../src/arch/index.js';
import { inputFeeds, lossBuild, synthetic } from '../arch/harness.js';
import { paramLayout, type GramOn } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';

const B = 4;
/** h = x·W shared; l_t = Σ(h·v_t)/B: ∂l_t/∂h = 1·v_tᵀ/B per row, ∂l_t/∂W = (Σ_rows x)ᵀ v_tᵀ/B. */
const build = (ctx: BuildContext): Tensor[] => {
  const x = ctx.graph.input('x', 'float32', ['batch', 2]);
  const h = matmul(x, ctx.param('trunk.w', [2, 3], { kind: 'glorot-uniform' }));
  return [0, 1].map((t) => div(sumAll(matmul(h, ctx.param(`task:${t}.v`, [3, 1], { kind: 'glorot-uniform' }))), B));
};
const xs = Float32Array.of(1, 2, -1, 0.5, 0.3, -2, 2, 1);
const feeds = () => ({ x: makeTensor('float32', xs, [B, 2]) });
const init = initParams(paramLayout(build).defs, new Random(3));
const make = (gramOn?: GramOn) => Trainable.create({ build, optimizer: sgd(), ...(gramOn ? { gramOn } : {}) }, init, { threads: 1 });
const v = (t: number) => init.get(`task:${t}.v`)!;
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

test('G over the shared parameters is ‖Σx‖²·(v_t·v_s)/B² and over the representation B·(v_t·v_s)/B²', async () => {
  const sx = [0, 1].map((j) => [0, 1, 2, 3].reduce((s, r) => s + xs[r * 2 + j]!, 0));
  const sumSq = sx[0]! ** 2 + sx[1]! ** 2;
  for (const [where, scale] of [['params', sumSq / B ** 2], ['representation', B / B ** 2]] as const) {
    const t = await make(where);
    let seen: Float64Array | null = null;
    await t.runWithGram(feeds(), 0.1, (_l, gram) => ((seen = gram), Float32Array.of(1, 1)));
    const want = [dot(v(0), v(0)), dot(v(0), v(1)), dot(v(1), v(0)), dot(v(1), v(1))].map((d) => d * scale);
    want.forEach((w, i) => assert.ok(Math.abs(seen![i]! - w) < 1e-5 * (1 + Math.abs(w)), `${where} G[${i}] = ${seen![i]}, want ${w}`));
    await t.release();
  }
});

for (const gramOn of ['params', 'representation'] as const) {
  test(`with G over the ${gramOn}, coefficients applied between the two graphs update the parameters as the one-graph step does`, async () => {
    const c = Float32Array.of(0.3, 1.7);
    const one = await make();
    const two = await make(gramOn);
    for (let step = 0; step < 3; step++) {
      const a = await one.run(feeds(), 0.1, c);
      const b = await two.runWithGram(feeds(), 0.1, () => c);
      a.losses.forEach((l, t) => assert.ok(Math.abs(l - b.losses[t]!) < 1e-6, `step ${step} loss ${t}: ${l} vs ${b.losses[t]}`));
    }
    for (const [name, values] of one.parameters()) {
      const other = two.parameters().get(name)!;
      values.forEach((x, i) => assert.ok(Math.abs(x - other[i]!) < 1e-6, `${name}[${i}]: ${x} vs ${other[i]}`));
    }
    assert.ok([...one.parameters().values()].some((p, k) => p.some((x, i) => x !== [...init.values()][k]![i])), 'the steps moved the parameters');
    await one.release();
    await two.release();
  });
}

test('on every architecture (dropout, layer norm, embeddings), both two-graph steps match the one-graph step', async () => {
  const d = synthetic(24, 2);
  const batch = {
    ...inputFeeds(d, 0, 24),
    'y:kind': makeTensor('int64', d.kind, [24]),
    'y:flag': makeTensor('int64', d.flag, [24]),
    'y:tags': makeTensor('float32', d.tags, [24, 3]),
    'mask:tags': makeTensor('float32', new Float32Array(24).fill(1), [24]),
  };
  const c = Float32Array.of(0.5, 1.2, 0.8);
  for (const name of ARCHITECTURES) {
    const spec = { build: lossBuild(getArchitecture(name)), optimizer: adam() };
    // Zero-initialised weights (linear) make exactly cancelling gradients, whose float noise Adam
    // scales up to a full step in either direction; a small jitter keeps every gradient a real one.
    const jitter = new Random(6);
    const start = new Map([...initParams(paramLayout(spec.build).defs, new Random(5))].map(([k, v]) => [k, v.map((x) => x + jitter.uniform(-0.005, 0.005))]));
    const one = await Trainable.create(spec, start, { threads: 1 });
    const reference: Float32Array[] = [];
    const noise = new Random(8);
    for (let s = 0; s < 2; s++) reference.push((await one.run(batch, 0.01, c, noise)).losses);
    for (const gramOn of ['params', 'representation'] as const) {
      const two = await Trainable.create({ ...spec, gramOn }, start, { threads: 1 });
      const r = new Random(8);
      for (let s = 0; s < 2; s++) {
        const res = await two.runWithGram(batch, 0.01, (_l, gram) => (assert.ok(gram.every(Number.isFinite)), c), r);
        res.losses.forEach((l, t) => assert.ok(Math.abs(l - reference[s]![t]!) < 1e-5, `${name}/${gramOn} step ${s} loss ${t}: ${l} vs ${reference[s]![t]}`));
      }
      for (const [p, values] of one.parameters()) {
        const other = two.parameters().get(p)!;
        values.forEach((x, i) => assert.ok(Math.abs(x - other[i]!) < 1e-5, `${name}/${gramOn} ${p}[${i}]: ${x} vs ${other[i]}`));
      }
      await two.release();
    }
    await one.release();
  }
});
