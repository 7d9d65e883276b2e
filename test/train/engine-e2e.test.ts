import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argmaxRows } from '../support/argmax.js';
import { softmax, type Tensor } from '../../src/graph/index.js';
import type { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { dense } from '../../src/nn/layers.js';
import { softmaxCrossEntropy } from '../../src/nn/losses.js';
import { makeTensor, tensorData } from '../../src/runtime/session.js';
import { Forward } from '../../src/train/forward.js';
import { adam } from '../../src/train/optimizers/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';

const D = 8;
const N = 2000;

/** Task a: which of three linear scores is largest. Task b: XOR of two signs (needs the hidden layer). */
function synthetic(seed: number) {
  const r = new Random(seed);
  const x = new Float32Array(N * D);
  const a = new BigInt64Array(N);
  const b = new BigInt64Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) x[i * D + j] = r.normal();
    const row = x.subarray(i * D, i * D + D);
    const s = [row[0]! + row[1]!, row[2]! - row[0]!, row[3]! * 1.5];
    a[i] = BigInt(s.indexOf(Math.max(...s)));
    b[i] = BigInt(row[4]! * row[5]! > 0 ? 1 : 0);
  }
  return { x, a, b };
}

function network(ctx: BuildContext, x: Tensor) {
  const h = dense(ctx, 'trunk.1', x, 32, 'relu');
  const h2 = dense(ctx, 'trunk.2', ctx.dropout(h, 0.05), 32, 'relu');
  return { a: dense(ctx, 'head.a', h2, 3), b: dense(ctx, 'head.b', h2, 2) };
}

async function train(seed: number) {
  const data = synthetic(7);
  const spec = {
    optimizer: adam(),
    build: (ctx: BuildContext) => {
      const x = ctx.graph.input('x', 'float32', ['batch', D]);
      const ya = ctx.graph.input('ya', 'int64', ['batch']);
      const yb = ctx.graph.input('yb', 'int64', ['batch']);
      const out = network(ctx, x);
      return [softmaxCrossEntropy(out.a, ya), softmaxCrossEntropy(out.b, yb)];
    },
  };
  const rng = new Random(seed);
  const layout = paramLayout(spec.build);
  const init = initParams(layout.defs, rng);
  const trainable = await Trainable.create(spec, init, { threads: 1 });
  const B = 64;
  const weights = Float32Array.of(1, 1);
  for (let epoch = 0; epoch < 25; epoch++) {
    const order = rng.permutation(1600);
    for (let s = 0; s + B <= order.length; s += B) {
      const x = new Float32Array(B * D);
      const ya = new BigInt64Array(B);
      const yb = new BigInt64Array(B);
      for (let k = 0; k < B; k++) {
        const i = order[s + k]!;
        x.set(data.x.subarray(i * D, i * D + D), k * D);
        ya[k] = data.a[i]!;
        yb[k] = data.b[i]!;
      }
      const res = await trainable.run(
        { x: makeTensor('float32', x, [B, D]), ya: makeTensor('int64', ya, [B]), yb: makeTensor('int64', yb, [B]) },
        0.01,
        weights,
        rng,
      );
      assert.ok(res.losses.every(Number.isFinite));
    }
  }
  const fwd = await Forward.create((ctx) => {
    const out = network(ctx, ctx.graph.input('x', 'float32', ['batch', D]));
    return { pa: softmax(out.a), pb: softmax(out.b) };
  }, layout);
  const test = data.x.subarray(1600 * D);
  const res = await fwd.run({ x: makeTensor('float32', test, [400, D]) }, trainable.parameterTensors());
  const acc = (probs: Float32Array, classes: number, labels: BigInt64Array) => {
    const pred = argmaxRows(probs, classes);
    let ok = 0;
    for (let i = 0; i < 400; i++) if (BigInt(pred[i]!) === labels[1600 + i]) ok++;
    return ok / 400;
  };
  return {
    accA: acc(tensorData(res.pa!) as Float32Array, 3, data.a),
    accB: acc(tensorData(res.pb!) as Float32Array, 2, data.b),
    params: trainable.parameters(),
  };
}

test('a two-head MLP trains through the step graph to high accuracy on both heads, reproducibly', async () => {
  const first = await train(42);
  assert.ok(first.accA > 0.9, `head a accuracy ${first.accA}`);
  assert.ok(first.accB > 0.85, `head b accuracy ${first.accB}`);
  const second = await train(42);
  for (const [name, values] of first.params) assert.deepEqual(second.params.get(name), values, `parameter ${name} differs between runs`);
  const other = await train(43);
  assert.notDeepEqual(other.params.get('trunk.1.w'), first.params.get('trunk.1.w'));
});
