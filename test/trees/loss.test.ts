import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskLabels } from '../../src/data/schema.js';
import { gradients, treeTasks } from '../../src/trees/loss.js';
import { Random } from '../../src/util/random.js';
import { binaryTask, multiclassTask, multilabelTask } from './synthetic.js';

const tasks = [binaryTask, multiclassTask, multilabelTask];
const layout = treeTasks(tasks);
const n = 6; // outputs: 1 + 3 + 2
const rows = 5;
const labels: TaskLabels[] = [
  { task: 'b', type: 'binary', classIndex: Int32Array.of(1, 0, -1, 1, 0) },
  { task: 'm', type: 'multiclass', classIndex: Int32Array.of(2, -1, 0, 1, 1) },
  { task: 'l', type: 'multilabel', targets: Float32Array.of(1, 0, 0, 0, 1, 1, 0, 1, 1, 0), mask: Uint8Array.of(1, 1, 0, 1, 1) },
];
const r = new Random(5);
const raw = Float64Array.from({ length: rows * n }, () => r.normal());

/** Summed (not mean) loss of task t over rows, which the per-row gradients are the derivatives of. */
function totalLoss(scores: Float64Array, t: number): number {
  const count = [4, 4, 4][t]! * (t === 2 ? 2 : 1);
  return gradients(layout, labels, scores, n, null)[t]! * count;
}

test('gradients and Hessians match finite differences of the summed loss', () => {
  const gh = new Float32Array(rows * n * 2);
  gradients(layout, labels, raw, n, gh);
  const eps = 1e-5;
  for (let i = 0; i < rows * n; i++) {
    const t = i % n === 0 ? 0 : i % n < 4 ? 1 : 2;
    const at = (d: number): number => {
      const s = Float64Array.from(raw);
      s[i] += d;
      return totalLoss(s, t);
    };
    const g = (at(eps) - at(-eps)) / (2 * eps);
    assert.ok(Math.abs(g - gh[2 * i]!) < 1e-6, `output ${i}: g ${gh[2 * i]} vs finite difference ${g}`);
    // The diagonal of the Hessian: the second difference.
    const h = (at(eps) - 2 * at(0) + at(-eps)) / (eps * eps);
    if (gh[2 * i + 1] !== 0) assert.ok(Math.abs(h - gh[2 * i + 1]!) < 1e-3, `output ${i}: h ${gh[2 * i + 1]} vs ${h}`);
  }
});

test('a row without a label for a task adds no gradient and no Hessian for that task', () => {
  const gh = new Float32Array(rows * n * 2);
  gradients(layout, labels, raw, n, gh);
  const zero = (row: number, from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      assert.equal(gh[2 * (row * n + k)], 0);
      assert.equal(gh[2 * (row * n + k) + 1], 0);
    }
  };
  zero(2, 0, 1); // binary label -1
  zero(1, 1, 4); // multiclass label -1
  zero(2, 4, 6); // multi-label mask 0
  // Labelled outputs of those rows still have gradients.
  assert.notEqual(gh[2 * (2 * n + 1)], 0);
});

test('gradients from kept exponentials equal those from the scores, also where e^z under- or overflows', () => {
  const scores = Float64Array.from(raw);
  // Row 0: a binary logit and a multi-label logit past the range of e^z; row 3: a class far below the others.
  scores[0] = 800;
  scores[4] = -800;
  scores[3 * n + 1] = -750;
  const ex = Float64Array.from(scores, Math.exp);
  const [a, b] = [new Float32Array(rows * n * 2), new Float32Array(rows * n * 2)];
  const exact = gradients(layout, labels, scores, n, a);
  const kept = gradients(layout, labels, scores, n, b, false, undefined, ex);
  kept.forEach((l, t) => assert.ok(Math.abs(l - exact[t]!) <= 1e-12 * Math.abs(exact[t]!), `task ${t} loss ${l} vs ${exact[t]}`));
  // The pairs are stored in float32: equal to its rounding.
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-12 + 2 ** -23 * Math.abs(v), `pair value ${i}: ${b[i]} vs ${v}`));
  // Any multiple of a row's exponentials gives a multiclass task the same gradients.
  const scaled = Float64Array.from(ex);
  for (let k = 1; k < 4; k++) scaled[2 * n + k]! *= 1e-5;
  const c = new Float32Array(rows * n * 2);
  gradients(layout, labels, scores, n, c, false, undefined, scaled);
  for (let k = 1; k < 4; k++) assert.ok(Math.abs(c[2 * (2 * n + k)]! - a[2 * (2 * n + k)]!) <= 2 ** -23 * Math.abs(a[2 * (2 * n + k)]!) + 1e-12);
});

/** [rows × n] row-major values transposed to output-major ([n × rows]); pairs too with `pairs`. */
function toOutputMajor(a: Float64Array | Float32Array, pairs: boolean): number[] {
  const w = pairs ? 2 : 1;
  const out: number[] = [];
  for (let o = 0; o < n; o++) for (let i = 0; i < rows; i++) for (let j = 0; j < w; j++) out.push(a[(i * n + o) * w + j]!);
  return out;
}

test('output-major scores give the output-major gradients of the same rows, from scores and from kept exponentials', () => {
  const scores = Float64Array.from(raw);
  scores[3 * n + 1] = -750;
  const ex = Float64Array.from(scores, Math.exp);
  const byRow = new Float32Array(rows * n * 2);
  const expected = gradients(layout, labels, scores, n, byRow, false, undefined, ex);
  const [scoresT, exT] = [Float64Array.from(toOutputMajor(scores, false)), Float64Array.from(toOutputMajor(ex, false))];
  for (const kept of [null, exT]) {
    const byOutput = new Float32Array(rows * n * 2);
    const losses = gradients(layout, labels, scoresT, n, byOutput, true, undefined, kept && Float64Array.from(kept));
    losses.forEach((l, t) => assert.ok(Math.abs(l - expected[t]!) <= 1e-12 * Math.abs(expected[t]!), `task ${t}: ${l} vs ${expected[t]}`));
    assert.deepEqual(Array.from(byOutput), toOutputMajor(byRow, true).map((v) => Math.fround(v)));
  }
});
