import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embeddingDim, inputLayer, inputWidth } from '../../src/arch/index.js';
import { fieldOffsets } from '../../src/arch/input-layer.js';
import { emitOnnx, Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';

test('the embedding width follows min(16, ⌈1.6·card^0.56⌉) of the largest field, unless given', () => {
  assert.equal(embeddingDim([{ name: 'a', cardinality: 2 }]), 3);
  assert.equal(embeddingDim([{ name: 'a', cardinality: 2 }, { name: 'b', cardinality: 7 }]), 5);
  assert.equal(embeddingDim([{ name: 'a', cardinality: 100_000 }]), 16);
  assert.equal(embeddingDim([{ name: 'a', cardinality: 7 }], 4), 4);
  assert.deepEqual(fieldOffsets([{ name: 'a', cardinality: 3 }, { name: 'b', cardinality: 5 }, { name: 'c', cardinality: 2 }]), [0, 3, 8]);
});

test('one gather over the shared table looks up each field at its own offset, beside the numeric block', async () => {
  const fields = [{ name: 'a', cardinality: 3 }, { name: 'b', cardinality: 4 }];
  const dim = 2;
  const table = Float32Array.from({ length: 7 * dim }, (_, i) => i / 10);
  const g = new Graph();
  const input = { numeric: g.input('x', 'float32', ['batch', 2]), categorical: g.input('c', 'int64', ['batch', 2]), fields };
  const ctx = new BuildContext(g, false, { kind: 'frozen', values: new Map([['in.embedding.table', table]]) });
  const out = inputLayer(ctx, 'in', input, { embeddingDim: dim });
  assert.deepEqual(out.shape, ['batch', 2 + 2 * dim]);
  assert.equal(inputWidth(input, { embeddingDim: dim }), 6);
  assert.deepEqual(ctx.params.map((p) => `${p.name}[${p.shape}]`), ['in.embedding.table[7,2]']);
  g.output('y', out);
  const m = emitOnnx(g);
  const s = await CompiledModel.create(m.bytes, m.inputs, { threads: 1 });
  const res = await s.run({
    x: makeTensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]),
    c: makeTensor('int64', BigInt64Array.of(0n, 3n, 2n, 0n), [2, 2]),
  });
  await s.release();
  const row = (r: number) => [...table.subarray(r * dim, r * dim + dim)];
  const expected = [1, 2, ...row(0), ...row(3 + 3), 3, 4, ...row(2), ...row(3 + 0)];
  assert.deepEqual([...(tensorData(res.y!) as Float32Array)].map((v) => Math.round(v * 10) / 10), expected.map((v) => Math.round(v * 10) / 10));
});

test('numeric-only input passes through without parameters; categorical-only is the embeddings alone', () => {
  const g = new Graph();
  const ctx = new BuildContext(g, false);
  const x = g.input('x', 'float32', ['batch', 9]);
  assert.equal(inputLayer(ctx, 'in', { numeric: x, categorical: null, fields: [] }, {}), x);
  assert.equal(ctx.params.length, 0);
  const c = g.input('c', 'int64', ['batch', 3]);
  const fields = [1, 2, 3].map((k) => ({ name: `f${k}`, cardinality: 10 * k }));
  const out = inputLayer(ctx, 'in', { numeric: null, categorical: c, fields }, {});
  assert.deepEqual(out.shape, ['batch', 3 * embeddingDim(fields)]);
});
