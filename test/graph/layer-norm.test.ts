/**
 * layerNormalization as onnxruntime runs it: the function its definition states, in float32 and
 * float64, emitted as one LayerNormalization node; shapes it cannot take are refused at build time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitOnnx, Graph, layerNormalization, type DType } from '../../src/graph/index.js';
import { decodeModel } from '../../src/graph/onnx-proto.js';
import { GraphError } from '../../src/errors.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { rng } from './gradcheck.js';

const [ROWS, D] = [4, 6];

/** The definition, in float64 arithmetic. */
function expected(x: number[], gain: number[], bias: number[], eps: number): number[] {
  return Array.from({ length: ROWS }, (_, r) => {
    const row = x.slice(r * D, (r + 1) * D);
    const mean = row.reduce((a, v) => a + v, 0) / D;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / D;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * gain[j]! + bias[j]!);
  }).flat();
}

for (const [dtype, tolerance] of [['float64', 1e-12], ['float32', 1e-5]] as Array<[DType, number]>) {
  test(`layerNormalization in ${dtype} is (x − mean) / √(variance + ε) · gain + bias, as one ONNX node`, async () => {
    const r = rng(7);
    // Rows far from zero and with a spread of scales, where a wrong variance or ε would show.
    const x = Array.from({ length: ROWS * D }, (_, i) => (r() - 0.5) * 10 ** (i % ROWS) + 3 * (i % ROWS));
    const gain = Array.from({ length: D }, () => r() * 2 - 1);
    const bias = Array.from({ length: D }, () => r() * 2 - 1);
    const eps = 1e-3;
    const g = new Graph();
    const input = g.input('x', dtype, ['batch', D]);
    g.output('y', layerNormalization(input, g.constant(gain, dtype, [D]), g.constant(bias, dtype, [D]), eps));
    const model = emitOnnx(g);
    assert.deepEqual(decodeModel(model.bytes).graph!.node!.map((n) => n.opType), ['LayerNormalization']);
    const session = await CompiledModel.create(model.bytes, model.inputs, { threads: 1 });
    const values = dtype === 'float64' ? Float64Array.from(x) : Float32Array.from(x);
    const got = tensorData((await session.run({ x: makeTensor(dtype, values, [ROWS, D]) })).y!) as Float32Array | Float64Array;
    await session.release();
    const want = expected(Array.from(values), gain.map(dtype === 'float32' ? Math.fround : Number), bias.map(dtype === 'float32' ? Math.fround : Number), Math.fround(eps));
    want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= tolerance * (1 + Math.abs(w)), `[${i}]: ${got[i]} vs ${w}`));
  });
}

test('layerNormalization refuses a gain that is not [d] and a last dimension that is not fixed', () => {
  const g = new Graph();
  const x = g.input('x', 'float32', ['batch', D]);
  const ones = (shape: number[]) => g.constant(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1), 'float32', shape);
  assert.throws(() => layerNormalization(x, ones([2, 1, D]), ones([D])), (e: unknown) => e instanceof GraphError && /gain \[2, 1, 6\] and bias \[6\] must both be \[d\]/.test(e.message));
  const open = g.input('open', 'float32', ['batch', 'width']);
  assert.throws(() => layerNormalization(open, ones([D]), ones([D])), (e: unknown) => e instanceof GraphError && e.code === 'shape-mismatch');
});
