/** Each method against coefficients worked out by hand on a small Gram matrix (or loss sequence). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { getWeighting, parseWeightingOptions, WEIGHTINGS, type MethodState, type WeighInput } from '../../src/weighting/index.js';

const close = (got: ArrayLike<number>, want: number[], tol = 1e-6, what = ''): void => {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= tol, `${what} coefficient ${i}: got ${got[i]}, want ${w}`));
};

function input(losses: number[], gram: number[] | null = null, present?: number[], epoch = 0): WeighInput {
  return { losses: Float64Array.from(losses), gram: gram ? Float64Array.from(gram) : null, present: Uint8Array.from(present ?? losses.map(() => 1)), epoch };
}

/** Runs `name` from its initial state over the inputs; returns every step's coefficients and the last state. */
function run(name: string, inputs: WeighInput[], options: unknown = {}, seed = 1): { steps: Float64Array[]; state: MethodState } {
  const m = getWeighting(name);
  const o = parseWeightingOptions(name, options);
  let state = m.init(inputs[0]!.losses.length, o, seed);
  const steps = inputs.map((x) => {
    const r = m.weigh(x, state, o);
    state = r.state;
    return r.coefficients;
  });
  return { steps, state };
}
const once = (name: string, x: WeighInput, options: unknown = {}): Float64Array => run(name, [x], options).steps[0]!;

test('equal: 1 for every task with labelled rows, 0 for the others', () => {
  close(once('equal', input([0.3, 0, 2], null, [1, 0, 1])), [1, 0, 1]);
});

test('fixed: the given weights, and one weight per task is required', () => {
  close(once('fixed', input([1, 1]), { weights: [2, 0.5] }), [2, 0.5]);
  assert.throws(() => run('fixed', [input([1, 1, 1])], { weights: [1, 2] }), (e: unknown) => e instanceof OptionError && /3 tasks/.test(e.message));
});

test('uw: s ← s − lr(½ − e^{−s}l), coefficient e^{−s}', () => {
  // s = 0 − 0.1(0.5 − 2) = 0.15 and 0 − 0.1(0.5 − 0.25) = −0.025
  close(once('uw', input([2, 0.25]), { lr: 0.1 }), [Math.exp(-0.15), Math.exp(0.025)]);
  close(once('uw', input([2, 0.25]), { lr: 0.1 }), [0.860708, 1.025315]);
});

test('dwa: 1 for two epochs, then T·softmax of the last two epochs\' loss ratios over τ', () => {
  const { steps } = run('dwa', [input([1, 2], null, undefined, 0), input([1, 2], null, undefined, 0), input([0.5, 2], null, undefined, 1), input([0.7, 1], null, undefined, 2)]);
  close(steps[2]!, [1, 1]);
  // r = (0.5/1, 2/2) / 2 = (0.25, 0.5); 2·e^{.25}/(e^{.25}+e^{.5}) = 0.875647
  close(steps[3]!, [0.875647, 1.124353]);
});

test('gls: L/(T·l_t) with L the geometric mean', () => {
  close(once('gls', input([1, 4])), [1, 0.25]); // L = 2
  close(once('gls', input([1, 4, 9], null, [1, 0, 1])), [1.5, 0, 1.5 / 9]); // L = 3 over tasks 0 and 2
});

test('rlw: a softmax of normal draws over the present tasks, repeating for a seed', () => {
  const a = run('rlw', [input([1, 1, 1]), input([1, 1, 1])], {}, 5).steps;
  const b = run('rlw', [input([1, 1, 1]), input([1, 1, 1])], {}, 5).steps;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], a[1]);
  a.forEach((c) => assert.ok(Math.abs(c.reduce((s, v) => s + v, 0) - 1) < 1e-12 && c.every((v) => v > 0)));
  close(once('rlw', input([1, 1], null, [0, 1])), [0, 1], 1e-12);
});

test('famo: c ∝ z_t/l_t, and the task whose loss fell gets less weight next', () => {
  const { steps } = run('famo', [input([1, 4]), input([0.5, 4])]);
  close(steps[0]!, [0.8, 0.2]); // z = (½, ½): (0.5/1, 0.5/4) normalised
  // δ = (ln 2, 0) moves ξ by ∓0.025 (Adam's first step): z = softmax(−.025, .025)
  close(steps[1]!, [0.883854, 0.116146]);
});

test('gradnorm: this step uses w, then w follows |w_t‖g_t‖ − target| and keeps Σw = T', () => {
  // ‖g‖ = (2, 1), targets 1.5: grads sign·‖g‖ = (+2, −1), w = (0.8, 1.1) renormalised to sum 2
  const { steps, state } = run('gradnorm', [input([1, 1], [4, 0, 0, 1]), input([1, 1], [4, 0, 0, 1])], { lr: 0.1 });
  close(steps[0]!, [1, 1]);
  close(steps[1]!, [0.842105, 1.157895]);
  assert.ok(Math.abs((state.weights as number[]).reduce((a, b) => a + b, 0) - 2) < 1e-12);
});

test('mgda: the min-norm point of the convex hull', () => {
  close(once('mgda', input([1, 1], [4, 0, 0, 1])), [0.2, 0.8]); // (G22−G12)/(G11+G22−2G12) = 1/5
  close(once('mgda', input([1, 1], [4, 1, 1, 1])), [0, 1]); // g2 alone: its norm is the hull's minimum
  close(once('mgda', input([1, 1, 1], [1, 0, 0, 0, 2, 0, 0, 0, 4])), [4 / 7, 2 / 7, 1 / 7]); // ∝ 1/G_tt
});

test('pcgrad: conflicting gradients are projected; agreeing ones are summed as they are', () => {
  close(once('pcgrad', input([1, 1], [1, -0.5, -0.5, 1])), [1.5, 1.5]); // g1 + ½g2 and g2 + ½g1
  close(once('pcgrad', input([1, 1], [1, 0.5, 0.5, 1])), [1, 1]);
});

test('cagrad: with orthonormal gradients, (1/2 + λ/2)/(1 + α²) with λ = 0.5', () => {
  // g0 = mean, ‖g0‖ = √½, c = α√½, w = (½, ½), ‖g_w‖ = √½, λ = c/‖g_w‖ = α = 0.5 → 0.75/1.25
  close(once('cagrad', input([1, 1], [1, 0, 0, 1])), [0.6, 0.6], 1e-4);
});

test('imtl-g: equal projections of the combined gradient on every unit task gradient', () => {
  close(once('imtl-g', input([1, 1], [4, 0, 0, 1])), [1 / 3, 2 / 3]);
  const G = [4, 1, 0.5, 1, 2, -0.3, 0.5, -0.3, 1];
  const c = once('imtl-g', input([1, 1, 1], G));
  const proj = [0, 1, 2].map((t) => [0, 1, 2].reduce((s, k) => s + c[k]! * G[k * 3 + t]!, 0) / Math.sqrt(G[t * 4]!));
  close(proj, [proj[0]!, proj[0]!, proj[0]!], 1e-9);
  assert.ok(Math.abs(c.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('aligned-mtl: column sums of σ_min·VΛ^{−½}Vᵀ', () => {
  close(once('aligned-mtl', input([1, 1], [4, 0, 0, 1])), [0.5, 1]);
  close(once('aligned-mtl', input([1, 1], [2, 1, 1, 2])), [1 / Math.sqrt(3), 1 / Math.sqrt(3)]); // λ = 3, 1
});

test('nash-mtl: Gα = 1/α on G over its Frobenius norm', () => {
  // diagonal G: α_t = √(‖G‖_F/G_tt), ‖G‖_F = √17
  close(once('nash-mtl', input([1, 1], [4, 0, 0, 1])), [1.015272, 2.030543], 1e-5);
  const G = [2, 0.5, 0.5, 1];
  const a = once('nash-mtl', input([1, 1], G));
  const f = Math.sqrt(2 * 2 + 0.5 * 0.5 * 2 + 1);
  [0, 1].forEach((t) => assert.ok(Math.abs(((G[t * 2]! * a[0]! + G[t * 2 + 1]! * a[1]!) / f) * a[t]! - 1) < 1e-6));
});

test('upgrad: each g_i/T projected onto the dual cone, summed', () => {
  // v¹ = (½, t), t = −G12/(2·G22) = ¼; v² by symmetry: (0.75, 0.75)
  close(once('upgrad', input([1, 1], [1, -0.5, -0.5, 1])), [0.75, 0.75]);
  close(once('upgrad', input([1, 1], [1, 0.5, 0.5, 1])), [0.5, 0.5]);
});

test('db-mtl: M/‖g_t‖ with M = max ‖g_s‖/l_s', () => {
  close(once('db-mtl', input([0.5, 2], [4, 0, 0, 1])), [2, 4], 1e-6); // ‖g‖ = (2, 1), M = 4
});

test('an unknown method or option is refused with the valid names', () => {
  assert.throws(() => getWeighting('mgdaa'), (e: unknown) => e instanceof OptionError && /mgdaa/.test(e.message) && /pcgrad/.test(e.message));
  assert.throws(() => parseWeightingOptions('cagrad', { alpha: -1 }), (e: unknown) => e instanceof OptionError && /cagrad/.test(e.message) && /alpha/.test(e.message));
  assert.throws(() => parseWeightingOptions('mgda', { alpha: 1 }), (e: unknown) => e instanceof OptionError && /mgda/.test(e.message));
  assert.ok(WEIGHTINGS.length >= 12);
});
