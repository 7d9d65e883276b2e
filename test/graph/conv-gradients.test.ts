import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as G from '../../src/graph/index.js';
import { groupNormalize } from '../../src/nn/conv.js';
import { gradCheck, opsChecked, type InputDef } from './gradcheck.js';

const m = (...shape: number[]): InputDef => ({ shape });
const batch = (...shape: number[]): InputDef => ({ shape, declared: ['batch', ...shape.slice(1)] });

/** The ops of src/graph/ops/conv.ts; gradients.test.ts leaves them to this file. */
const CONV_OPS = ['conv2d', 'convTranspose2d', 'maxPool2d', 'avgPool2d'];

/**
 * onnxruntime's CPU Conv, ConvTranspose and AveragePool take float32 only, so those cases run in
 * float32 between casts. They are (multi)linear or quadratic in each input, where central
 * differences are exact for any step, so a large step keeps float32 rounding small.
 */
const f32 = (f: (...xs: G.Tensor[]) => G.Tensor) => (...xs: G.Tensor[]) => G.cast(f(...xs.map((x) => G.cast(x, 'float32'))), 'float64');
const F32_STEP = 0.25;
const F32_TOL = 1e-5;

const float32Cases: Array<[string, InputDef[], (...xs: G.Tensor[]) => G.Tensor]> = [
  ['conv2d 3×3, no padding', [m(2, 2, 5, 5), m(3, 2, 3, 3)], (x, w) => G.conv2d(x!, w!)],
  ['conv2d stride 2 with padding', [m(2, 2, 6, 5), m(3, 2, 3, 3)], (x, w) => G.conv2d(x!, w!, { strides: [2, 2], pads: [1, 1, 1, 1] })],
  ['conv2d uneven stride, padding and kernel', [m(1, 2, 7, 6), m(2, 2, 3, 2)], (x, w) => G.conv2d(x!, w!, { strides: [3, 2], pads: [0, 1, 2, 0] })],
  ['conv2d dilation 2', [m(1, 1, 7, 7), m(2, 1, 3, 3)], (x, w) => G.conv2d(x!, w!, { dilations: [2, 2], pads: [1, 1, 1, 1] })],
  ['conv2d in 2 groups', [m(2, 4, 5, 5), m(6, 2, 3, 3)], (x, w) => G.conv2d(x!, w!, { groups: 2, pads: [1, 1, 1, 1] })],
  ['conv2d depthwise with a named batch', [batch(3, 3, 4, 4), m(3, 1, 2, 2)], (x, w) => G.conv2d(x!, w!, { groups: 3 })],
  ['conv2d with a named batch', [batch(3, 2, 5, 5), m(2, 2, 3, 3)], (x, w) => G.conv2d(x!, w!, { strides: [2, 2] })],
  ['convTranspose2d stride 2', [m(2, 3, 3, 3), m(3, 2, 3, 3)], (g, w) => G.convTranspose2d(g!, w!, { strides: [2, 2], pads: [1, 1, 1, 1] }, [1, 0])],
  ['convTranspose2d in 2 groups', [m(1, 4, 3, 3), m(4, 1, 2, 2)], (g, w) => G.convTranspose2d(g!, w!, { groups: 2 })],
  [
    'conv2d second order (the input gradient through convTranspose2d)',
    [m(2, 2, 5, 5), m(2, 2, 3, 3)],
    (x, w) => G.grad(G.sumAll(G.square(G.conv2d(x!, w!, { strides: [2, 2], pads: [1, 0, 1, 0] }))), [x!])[0]!,
  ],
  ['avgPool2d 2×2', [m(2, 3, 4, 6)], (x) => G.avgPool2d(x!, [2, 2])],
  ['avgPool2d 3×3 overlapping, padded', [m(1, 2, 5, 6)], (x) => G.avgPool2d(x!, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })],
];

const cases: Array<[string, InputDef[], (...xs: G.Tensor[]) => G.Tensor]> = [
  ['maxPool2d 2×2', [m(2, 3, 4, 6)], (x) => G.maxPool2d(x!, [2, 2])],
  ['maxPool2d 3×3 overlapping, padded, named batch', [batch(2, 2, 5, 5)], (x) => G.maxPool2d(x!, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })],
  ['globalAvgPool2d', [batch(2, 3, 4, 4)], (x) => G.globalAvgPool2d(x!)],
  ['group norm, 2 groups', [m(2, 4, 3, 3)], (x) => groupNormalize(x!, 2)],
  ['group norm, one channel per group, named batch', [batch(2, 3, 2, 3)], (x) => groupNormalize(x!, 3)],
];

for (const [name, defs, f] of cases) {
  test(`gradient of ${name} matches central differences`, async () => {
    const err = await gradCheck(defs, f);
    assert.ok(err < 1e-6, `relative error ${err}`);
  });
}

for (const [name, defs, f] of float32Cases) {
  test(`gradient of ${name} matches central differences (float32)`, async () => {
    const err = await gradCheck(defs, f32(f), 1, F32_STEP);
    assert.ok(err < F32_TOL, `relative error ${err}`);
  });
}

test('gradient of a conv block (conv, group norm, relu, max pool, global pool) is close in float32', async () => {
  const block = (x: G.Tensor, w: G.Tensor) =>
    G.globalAvgPool2d(G.maxPool2d(G.relu(groupNormalize(G.conv2d(x, w, { pads: [1, 1, 1, 1] }), 2)), [2, 2]));
  const err = await gradCheck([m(2, 2, 6, 6), m(4, 2, 3, 3)], f32((x, w) => block(x!, w!)), 1, 1e-2);
  assert.ok(err < 1e-3, `relative error ${err}`);
});

test('conv2d and the pools infer the output shapes ONNX gives', () => {
  const g = new G.Graph();
  const x = g.input('x', 'float32', ['batch', 3, 48, 48]);
  const w = g.input('w', 'float32', [8, 3, 3, 3]);
  assert.deepEqual(G.conv2d(x, w, { pads: [1, 1, 1, 1] }).shape, ['batch', 8, 48, 48]);
  assert.deepEqual(G.conv2d(x, w, { strides: [2, 2] }).shape, ['batch', 8, 23, 23]);
  assert.deepEqual(G.maxPool2d(x, [2, 2]).shape, ['batch', 3, 24, 24]);
  assert.deepEqual(G.avgPool2d(x, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }).shape, ['batch', 3, 24, 24]);
  assert.deepEqual(G.globalAvgPool2d(x).shape, ['batch', 3]);
});

test('conv2d refuses a kernel whose channels do not fit the input, naming the shapes', () => {
  const g = new G.Graph();
  const x = g.input('x', 'float32', [1, 3, 8, 8]);
  assert.throws(() => G.conv2d(x, g.input('w', 'float32', [4, 2, 3, 3])), /conv2d: .*3 channels.*\[4, 2, 3, 3\]/);
  assert.throws(() => G.conv2d(x, g.input('w2', 'float32', [4, 3, 9, 9])), /does not fit an axis of 8/);
  assert.throws(() => G.maxPool2d(x, [2, 2], { pads: [2, 0, 0, 0] }), /pads .* smaller than the window/);
  assert.throws(() => G.convTranspose2d(x, g.input('w3', 'float32', [3, 2, 3, 3]), { strides: [2, 2] }, [2, 0]), /output padding \[2,0\] must be/);
});

test('every conv op took part in a checked gradient', () => {
  const registered = G.registeredOps();
  assert.deepEqual(CONV_OPS.filter((op) => !registered.includes(op)), []);
  assert.deepEqual(CONV_OPS.filter((op) => !opsChecked.has(op)), []);
});
