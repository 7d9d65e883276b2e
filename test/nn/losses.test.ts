import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitOnnx, Graph, type Tensor } from '../../src/graph/index.js';
import { binaryCrossEntropy, softmaxCrossEntropy } from '../../src/nn/losses.js';
import { CompiledModel, tensorData } from '../../src/runtime/session.js';
import { gradCheck } from '../graph/gradcheck.js';

const LOGITS = [1, 2, 0.5, -1, 0, 3, 0.2, 0.2, 0.2, 2, -2, 1];
const LABELS = [1, -1, 0, 2];

async function evalScalar(build: (g: Graph) => Tensor): Promise<number> {
  const g = new Graph();
  g.output('y', build(g));
  const m = emitOnnx(g);
  const s = await CompiledModel.create(m.bytes, m.inputs, { threads: 1 });
  return (tensorData((await s.run({})).y!) as Float64Array)[0]!;
}

function reference(weights: number[] | null, eps: number): number {
  let num = 0;
  let den = 0;
  for (let r = 0; r < 4; r++) {
    const y = LABELS[r]!;
    if (y < 0) continue;
    const z = LOGITS.slice(r * 3, r * 3 + 3);
    const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
    const logp = z.map((v) => v - lse);
    const target = [0, 1, 2].map((c) => (c === y ? 1 - eps : 0) + eps / 3);
    const loss = -target.reduce((a, t, c) => a + t * logp[c]!, 0);
    const w = weights ? weights[y]! : 1;
    num += w * loss;
    den += w;
  }
  return num / den;
}

const logits = (g: Graph) => g.constant(LOGITS, 'float64', [4, 3]);
const labels = (g: Graph) => g.constant(LABELS, 'int64', [4]);

test('softmax cross-entropy skips rows with a missing label (-1)', async () => {
  const got = await evalScalar((g) => softmaxCrossEntropy(logits(g), labels(g)));
  assert.ok(Math.abs(got - reference(null, 0)) < 1e-12, `${got} vs ${reference(null, 0)}`);
});

test('softmax cross-entropy with class weights is the weighted mean', async () => {
  const w = [0.5, 2, 1.5];
  const got = await evalScalar((g) => softmaxCrossEntropy(logits(g), labels(g), { classWeights: w }));
  assert.ok(Math.abs(got - reference(w, 0)) < 1e-12);
});

test('softmax cross-entropy with label smoothing', async () => {
  const got = await evalScalar((g) => softmaxCrossEntropy(logits(g), labels(g), { labelSmoothing: 0.1 }));
  assert.ok(Math.abs(got - reference(null, 0.1)) < 1e-12);
});

test('a batch with no labelled row has zero loss', async () => {
  const got = await evalScalar((g) => softmaxCrossEntropy(logits(g), g.constant([-1, -1, -1, -1], 'int64', [4])));
  assert.equal(got, 0);
});

test('binary cross-entropy with logits is stable and masked', async () => {
  const z = [50, -50, 0.3, -2, 1, 0];
  const y = [1, 0, 1, 0, 0, 1];
  const mask = [1, 1, 0];
  let sum = 0;
  for (let i = 0; i < 6; i++) {
    if (!mask[Math.floor(i / 2)]) continue;
    const p = 1 / (1 + Math.exp(-z[i]!));
    sum += -(y[i]! * Math.log(p) + (1 - y[i]!) * Math.log1p(-p)) || 0;
  }
  const expected = sum / 4;
  const got = await evalScalar((g) => binaryCrossEntropy(g.constant(z, 'float64', [3, 2]), g.constant(y, 'float64', [3, 2]), g.constant(mask, 'float64', [3])));
  assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
  assert.ok(Number.isFinite(got));
});

test('gradients of both losses match central differences', async () => {
  const ce = await gradCheck([{ shape: [4, 3] }], (x) => softmaxCrossEntropy(x!, labels(x!.graph), { classWeights: [0.5, 2, 1.5], labelSmoothing: 0.1 }));
  assert.ok(ce < 1e-6, `cross-entropy relative error ${ce}`);
  const bce = await gradCheck([{ shape: [3, 2] }], (x) => binaryCrossEntropy(x!, x!.graph.constant([1, 0, 1, 0, 0, 1], 'float64', [3, 2]), x!.graph.constant([1, 0, 1], 'float64', [3])));
  assert.ok(bce < 1e-6, `binary cross-entropy relative error ${bce}`);
});
