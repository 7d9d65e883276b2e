/**
 * The contract every registered weighting method meets (STYLE rule 7): finite coefficients, the
 * same coefficients for the same seed and inputs, a state that round-trips through JSON (as in a
 * checkpoint) and continues exactly, and a task with no labelled row gets 0, never a NaN.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getWeighting, parseWeightingOptions, WEIGHTINGS, Weighter, type MethodState, type WeighInput } from '../../src/weighting/index.js';
import { Random } from '../../src/util/random.js';

const T = 3;
const OPTIONS: Record<string, unknown> = { fixed: { weights: [1, 2, 0.5] } };

/** Batches with losses and a Gram matrix J Jᵀ of random gradients; task 1 is absent in batch 2. */
function batches(count: number, seed: number): WeighInput[] {
  const r = new Random(seed);
  return Array.from({ length: count }, (_, b) => {
    const present = Uint8Array.from({ length: T }, (_, t) => (b === 2 && t === 1 ? 0 : 1));
    const J = Array.from({ length: T }, (_, t) => Array.from({ length: 5 }, () => (present[t] ? r.normal() : 0)));
    const gram = new Float64Array(T * T);
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) gram[i * T + j] = J[i]!.reduce((s, v, k) => s + v * J[j]![k]!, 0);
    const losses = Float64Array.from(present, (p) => (p ? 0.2 + r.next() : 0));
    return { losses, gram, present, epoch: Math.floor(b / 3) };
  });
}

function runAll(name: string, inputs: WeighInput[], start?: MethodState): { coefficients: Float64Array[]; states: MethodState[] } {
  const m = getWeighting(name);
  const o = parseWeightingOptions(name, OPTIONS[name]);
  let state = start ?? m.init(T, o, 9);
  const states: MethodState[] = [];
  const coefficients = inputs.map((x) => {
    const r = m.weigh({ ...x, gram: m.needsGram ? x.gram : null }, state, o);
    state = r.state;
    states.push(state);
    return r.coefficients;
  });
  return { coefficients, states };
}

for (const name of WEIGHTINGS) {
  describe(`weighting ${name}`, () => {
    const inputs = batches(9, 4);

    test('gives finite coefficients, 0 for a task with no labelled row', () => {
      const { coefficients } = runAll(name, inputs);
      coefficients.forEach((c, b) => {
        assert.equal(c.length, T);
        assert.ok(c.every(Number.isFinite), `batch ${b}: ${c}`);
        inputs[b]!.present.forEach((p, t) => p || assert.equal(c[t], 0, `batch ${b}, absent task ${t}`));
      });
      assert.ok(coefficients.some((c) => c.some((v) => v !== 0)), 'some coefficient is not zero');
    });

    test('repeats for the same seed and inputs', () => {
      assert.deepEqual(runAll(name, inputs).coefficients, runAll(name, inputs).coefficients);
    });

    test('continues exactly from a state saved as JSON', () => {
      const whole = runAll(name, inputs);
      const saved = JSON.parse(JSON.stringify(runAll(name, inputs.slice(0, 4)).states[3])) as MethodState;
      assert.deepEqual(runAll(name, inputs.slice(4), saved).coefficients, whole.coefficients.slice(4));
    });

    test('a batch without any labelled row, or with zero losses and gradients, gives zeros or finite values', () => {
      const w = Weighter.create(name, OPTIONS[name], T, 1);
      const none = w.weigh({ losses: new Float64Array(T), gram: new Float64Array(T * T), present: new Uint8Array(T), epoch: 0 });
      assert.deepEqual(Array.from(none), [0, 0, 0]);
      const zero = w.weigh({ losses: new Float64Array(T), gram: new Float64Array(T * T), present: new Uint8Array(T).fill(1), epoch: 0 });
      assert.ok(zero.every(Number.isFinite), `${zero}`);
    });
  });
}
