import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as G from '../../src/graph/index.js';
import { registeredOps } from '../../src/graph/op.js';
import { gradCheck, opsChecked, type InputDef } from './gradcheck.js';

const positive = { sample: (r: () => number) => 0.2 + 2 * r() };
const m = (...shape: number[]): InputDef => ({ shape });

const cases: Array<[string, InputDef[], (...xs: G.Tensor[]) => G.Tensor]> = [
  ['add with broadcasting [3,4]+[4]', [m(3, 4), m(4)], (a, b) => G.add(a!, b!)],
  ['add with broadcasting [3,1]+[1,4]', [m(3, 1), m(1, 4)], (a, b) => G.add(a!, b!)],
  ['sub with broadcasting [2,3,4]-[3,1]', [m(2, 3, 4), m(3, 1)], (a, b) => G.sub(a!, b!)],
  ['mul with broadcasting', [m(3, 4), m(3, 1)], (a, b) => G.mul(a!, b!)],
  ['div with broadcasting', [m(3, 4), { shape: [4], ...positive }], (a, b) => G.div(a!, b!)],
  ['fan-in x*x + x·y + x', [m(3, 2), m(3, 2)], (x, y) => G.add(G.add(G.mul(x!, x!), G.mul(x!, y!)), x!)],
  ['neg', [m(5)], (x) => G.neg(x!)],
  ['pow 3', [m(4)], (x) => G.pow(x!, 3)],
  ['pow -0.5', [{ shape: [4], ...positive }], (x) => G.pow(x!, -0.5)],
  ['exp', [m(2, 3)], (x) => G.exp(x!)],
  ['log', [{ shape: [2, 3], ...positive }], (x) => G.log(x!)],
  ['sqrt', [{ shape: [2, 3], ...positive }], (x) => G.sqrt(x!)],
  ['relu', [m(3, 4)], (x) => G.relu(x!)],
  ['sigmoid', [m(3, 4)], (x) => G.sigmoid(x!)],
  ['tanh', [m(3, 4)], (x) => G.tanh(x!)],
  ['gelu', [m(3, 4)], (x) => G.gelu(x!)],
  ['abs', [m(6)], (x) => G.abs(x!)],
  ['softmax last axis', [m(3, 4)], (x) => G.softmax(x!, -1)],
  ['softmax axis 0', [m(3, 4)], (x) => G.softmax(x!, 0)],
  ['logSoftmax', [m(2, 3, 4)], (x) => G.logSoftmax(x!, 2)],
  ['reduceSum axis 0', [m(3, 4)], (x) => G.reduceSum(x!, [0])],
  ['reduceSum axes [0,2] keepdims', [m(2, 3, 4)], (x) => G.reduceSum(x!, [0, 2], true)],
  ['reduceMean axis 1', [m(3, 4)], (x) => G.reduceMean(x!, [1])],
  ['reduceMean over a named batch dimension', [{ shape: [5, 3], declared: ['batch', 3] }], (x) => G.reduceMean(x!, [0])],
  ['reduceMax axis 1', [m(3, 4)], (x) => G.reduceMax(x!, [1])],
  ['reshape', [m(2, 6)], (x) => G.reshape(x!, [3, 4])],
  ['reshape with a named dimension', [{ shape: [4, 6], declared: ['batch', 6] }], (x) => G.reshape(x!, ['batch', 2, 3])],
  ['transpose 3-d', [m(2, 3, 4)], (x) => G.transpose(x!, [2, 0, 1])],
  ['unsqueeze and squeeze', [m(3, 4)], (x) => G.squeeze(G.mul(G.unsqueeze(x!, 1), G.unsqueeze(x!, 1)), 1)],
  ['concat axis 1 with fan-in', [m(2, 3), m(2, 2)], (a, b) => G.concat([a!, b!, a!], 1)],
  ['slice', [m(3, 5)], (x) => G.slice(x!, 1, 1, 4)],
  ['pad', [m(2, 3)], (x) => G.pad(x!, 0, 1, 2)],
  ['split', [m(4, 6)], (x) => { const [a, b, c] = G.split(x!, 1, 3); return G.add(G.mul(a!, b!), c!); }],
  ['matmul 2-d', [m(3, 4), m(4, 5)], (a, b) => G.matmul(a!, b!)],
  ['matmul batched × shared matrix', [m(2, 3, 4), m(4, 5)], (a, b) => G.matmul(a!, b!)],
  ['matmul batched × batched', [m(2, 3, 4), m(2, 4, 5)], (a, b) => G.matmul(a!, b!)],
  ['broadcastTo', [m(1, 4), m(3, 4)], (a, b) => G.mul(G.broadcastTo(a!, b!), b!)],
  ['where with a comparison mask', [m(3, 4), m(3, 4)], (a, b) => G.where(G.greater(a!, b!), G.mul(a!, 2), G.mul(b!, b!))],
  ['where with a negated less-than mask', [m(3, 4), m(3, 4)], (a, b) => G.where(G.not(G.less(a!, b!)), G.exp(a!), b!)],
  ['clip', [{ shape: [8], sample: (r) => 4 * r() - 2 }], (x) => G.clip(x!, -1, 1)],
  ['cast float64 → float64 is the identity', [m(3)], (x) => G.cast(x!, 'float64')],
  ['sumAll', [m(2, 3)], (x) => G.sumAll(G.mul(x!, x!))],
];

test('gradient of layerNormalization (input, gain and bias) matches central differences', async () => {
  const err = await gradCheck([m(3, 5), m(5), m(5)], (x, gain, bias) => G.layerNormalization(x!, gain!, bias!));
  assert.ok(err < 1e-6, `relative error ${err}`);
});

test('gradient of layerNormalization over [batch, 2, 4] with an epsilon of 1 matches central differences', async () => {
  const err = await gradCheck([{ shape: [3, 2, 4], declared: ['batch', 2, 4] }, m(4), m(4)], (x, gain, bias) => G.layerNormalization(x!, gain!, bias!, 1));
  assert.ok(err < 1e-6, `relative error ${err}`);
});

test("the gradient of layerNormalization's gradient matches central differences (its VJP depends on x)", async () => {
  const err = await gradCheck([m(2, 4), m(4), m(4)], (x, gain, bias) => {
    const seed = x!.graph.constant([0.3, -1, 0.7, 2, -0.4, 0.9, 1.5, -0.2], 'float64', [2, 4]);
    return G.grad(G.sumAll(G.mul(G.layerNormalization(x!, gain!, bias!), seed)), [x!])[0]!;
  });
  assert.ok(err < 1e-6, `relative error ${err}`);
});

for (const [name, defs, f] of cases) {
  test(`gradient of ${name} matches central differences`, async () => {
    const err = await gradCheck(defs, f);
    assert.ok(err < 1e-6, `relative error ${err}`);
  });
}

test('gradient of gather (embedding lookup with repeated indices) matches central differences', async () => {
  const err = await gradCheck([m(5, 3)], (table) => {
    const idx = table!.graph.constant([0, 2, 2, 4, 0, 0], 'int64', [2, 3]);
    return G.gather(table!, idx);
  });
  assert.ok(err < 1e-6, `relative error ${err}`);
});

test('gradient through a cast to float32 and back is close (float32 precision)', async () => {
  const err = await gradCheck([m(4)], (x) => G.cast(G.mul(G.cast(x!, 'float32'), 3), 'float64'), 1, 1e-2);
  assert.ok(err < 1e-4, `relative error ${err}`);
});

/** Checked in conv-gradients.test.ts. */
const checkedElsewhere = new Set(['conv2d', 'convTranspose2d', 'maxPool2d', 'avgPool2d']);

test('every registered op took part in a checked gradient', () => {
  const missing = registeredOps().filter((op) => !opsChecked.has(op) && !checkedElsewhere.has(op));
  assert.deepEqual(missing, []);
});
