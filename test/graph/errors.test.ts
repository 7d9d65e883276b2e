import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedError, GraphError } from '../../src/errors.js';
import * as G from '../../src/graph/index.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';

test('a shape mismatch while building names the op and both shapes', () => {
  const g = new G.Graph();
  const a = g.input('a', 'float32', ['batch', 3]);
  const b = g.input('b', 'float32', [4, 5]);
  assert.throws(() => G.matmul(a, b), (e: unknown) => e instanceof GraphError && /matmul/.test(e.message) && /\[batch, 3\]/.test(e.message) && /\[4, 5\]/.test(e.message));
  assert.throws(() => G.add(a, g.input('c', 'float32', [4])), (e: unknown) => e instanceof GraphError && /add/.test(e.message) && /\[4\]/.test(e.message));
});

test('mixing dtypes is refused with both tensors named', () => {
  const g = new G.Graph();
  const a = g.input('a', 'float32', [3]);
  const b = g.input('b', 'float64', [3]);
  assert.throws(() => G.mul(a, b), /float32\[3\] and float64\[3\]/);
});

test('a feed with the wrong shape or dtype is refused with a message naming the input', async () => {
  const g = new G.Graph();
  const x = g.input('features', 'float32', ['batch', 3]);
  g.output('y', G.relu(x));
  const m = G.emitOnnx(g);
  const s = await CompiledModel.create(m.bytes, m.inputs, { threads: 1 });
  await assert.rejects(s.run({ features: makeTensor('float32', new Float32Array(8), [2, 4]) }), (e: unknown) => e instanceof FeedError && /'features'/.test(e.message) && /\[batch, 3\]/.test(e.message));
  await assert.rejects(s.run({ features: makeTensor('float64', new Float64Array(6), [2, 3]) }), (e: unknown) => e instanceof FeedError && /'features' expects float32, got float64/.test(e.message));
  await assert.rejects(s.run({}), /input 'features' was not fed/);
  const ok = await s.run({ features: makeTensor('float32', Float32Array.from([-1, 2, -3, 4, -5, 6]), [2, 3]) });
  assert.deepEqual(Array.from(ok.y!.data as Float32Array), [0, 2, 0, 4, 0, 6]);
});

test('the same graph emits the same bytes', () => {
  const build = () => {
    const g = new G.Graph();
    const x = g.input('x', 'float32', ['batch', 4]);
    const w = g.input('w', 'float32', [4, 2]);
    const loss = G.reduceMean(G.logSoftmax(G.matmul(x, w)), [0, 1]);
    g.output('loss', loss);
    g.output('dw', G.grad(loss, [w])[0]!);
    return G.emitOnnx(g).bytes;
  };
  assert.deepEqual(build(), build());
});
