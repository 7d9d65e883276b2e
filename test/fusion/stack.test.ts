import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { applyFusion, fitFusion, type StackFusion } from '../../src/fusion/index.js';
import { minimize, type Objective } from '../../src/fusion/lbfgs.js';
import { clippedLogit, sigmoidObjective, softmaxLogits, softmaxObjective, standardize, unstandardize } from '../../src/fusion/logistic.js';
import { Random } from '../../src/util/random.js';
import { maxAbsDiff, sigmoid, softmaxRow } from './helpers.js';

function checkGradient(f: Objective, theta: Float64Array, what: string): void {
  const grad = new Float64Array(theta.length);
  f(theta, grad);
  const scratch = new Float64Array(theta.length);
  theta.forEach((_, j) => {
    const h = 1e-5;
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[j]! += h;
    down[j]! -= h;
    const numeric = (f(up, scratch) - f(down, scratch)) / (2 * h);
    assert.ok(Math.abs(numeric - grad[j]!) < 1e-7 * Math.max(1, Math.abs(numeric)), `${what} ∂θ[${j}]: analytic ${grad[j]} vs numeric ${numeric}`);
  });
}

test('the meta-learner’s loss gradients match central finite differences', () => {
  const r = new Random(5);
  const rows = 30;
  const width = 4;
  const x = Float64Array.from({ length: rows * width }, () => r.normal());
  const used = Int32Array.from({ length: rows }, (_, i) => i).filter((i) => i % 7 !== 2);
  const classes = Int32Array.from({ length: rows }, () => r.int(3));
  checkGradient(softmaxObjective(x, width, 3, used, classes, 0.1), Float64Array.from({ length: (width + 1) * 3 }, () => r.normal()), 'softmax');
  const targets = Float64Array.from({ length: rows }, () => r.int(2));
  checkGradient(sigmoidObjective(x, width, used, targets, 0.1), Float64Array.from({ length: width + 1 }, () => r.normal()), 'sigmoid');
});

test('weights fitted on standardised columns, mapped back, give the same logits on the raw columns', () => {
  const r = new Random(12);
  const rows = 20;
  const width = 3;
  const raw = Float64Array.from({ length: rows * width }, (_, i) => (i % width === 2 ? 4 : r.normal(-2, 1 + (i % width))));
  const x = Float64Array.from(raw);
  const columns = standardize(x, width, Int32Array.from({ length: rows }, (_, i) => i));
  const theta = Float64Array.from({ length: (width + 1) * 2 }, () => r.normal());
  const back = unstandardize(theta, width, 2, columns);
  const [a, b] = [new Float64Array(2), new Float64Array(2)];
  for (let i = 0; i < rows; i++) {
    softmaxLogits(x, i, width, 2, theta, a);
    softmaxLogits(raw, i, width, 2, back, b);
    assert.ok(maxAbsDiff(a, b) < 1e-12, `row ${i}: ${[...a]} vs ${[...b]}`);
  }
});

test('L-BFGS finds the minimum of an ill-conditioned quadratic', () => {
  const scales = [1, 10, 100, 1000];
  const target = [1, -2, 3, 0.5];
  const f: Objective = (x, g) => {
    let v = 0;
    x.forEach((xi, j) => {
      g[j] = scales[j]! * (xi - target[j]!);
      v += (scales[j]! / 2) * (xi - target[j]!) ** 2;
    });
    return v;
  };
  const result = minimize(f, new Float64Array(4));
  assert.ok(result.converged, `not converged after ${result.iterations} iterations`);
  assert.ok(maxAbsDiff(result.x, target) < 1e-9, `found ${[...result.x]}`);
});

const KIND: Task = { name: 'kind', type: 'multiclass', columns: ['kind'], classes: ['a', 'b', 'c'] };
const TAGS: Task = { name: 'tags', type: 'multilabel', columns: ['t1', 't2'], classes: ['t1', 't2'] };

/** Rows of two members and one passthrough feature, with labels drawn from a known logistic combination. */
function synthetic(rows: number, seed: number) {
  const r = new Random(seed);
  // kind: centred rows of W over [log p_1 (3), log p_2 (3), x (1)] and a centred intercept.
  const W = [[1.2, -0.6, -0.6], [-0.4, 0.8, -0.4], [0, -0.5, 0.5], [0.5, 0, -0.5], [-0.3, -0.3, 0.6], [0.2, 0.2, -0.4], [0.7, -0.7, 0]];
  const b = [0.3, -0.1, -0.2];
  // tags: per label k, a[m][k] on the members' logits, v[k] on x, intercept c[k].
  const a = [[0.8, -0.5], [0.4, 1.1]];
  const v = [-0.6, 0.9];
  const c = [0.2, -0.4];
  const members = [0, 1].map(() => [new Float32Array(rows * 3), new Float32Array(rows * 2)]);
  const features = new Float32Array(rows);
  const kind = new Int32Array(rows);
  const targets = new Float32Array(rows * 2);
  const truth = { kind: new Float32Array(rows * 3), tags: new Float32Array(rows * 2) };
  for (let i = 0; i < rows; i++) {
    const x = r.normal();
    features[i] = x;
    const feats: number[] = [];
    members.forEach(([pk, pt]) => {
      const p = softmaxRow([0, 1, 2].map(() => 1.5 * r.normal())).map(Math.fround);
      pk!.set(p, i * 3);
      feats.push(...p.map((q) => Math.log(q)));
      pt!.set([0, 1].map(() => sigmoid(2 * r.normal())), i * 2);
    });
    feats.push(x);
    const pk = softmaxRow([0, 1, 2].map((cl) => b[cl]! + feats.reduce((s, f, j) => s + f * W[j]![cl]!, 0)));
    truth.kind.set(pk, i * 3);
    const u = r.next();
    kind[i] = u < pk[0]! ? 0 : u < pk[0]! + pk[1]! ? 1 : 2;
    for (let k = 0; k < 2; k++) {
      const q = sigmoid(c[k]! + v[k]! * x + members.reduce((s, m, mi) => s + a[mi]![k]! * clippedLogit(m[1]![i * 2 + k]!), 0));
      truth.tags[i * 2 + k] = q;
      targets[i * 2 + k] = r.next() < q ? 1 : 0;
    }
  }
  const labels: TaskLabels[] = [
    { task: 'kind', type: 'multiclass', classIndex: kind },
    { task: 'tags', type: 'multilabel', targets, mask: new Uint8Array(rows).fill(1) },
  ];
  return { members, labels, passthrough: { values: features, width: 1 }, truth, W, b, a, v, c };
}

const meanAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

const centred = (values: number[], width: number): number[] =>
  values.map((value, i) => {
    const row = values.slice(Math.floor(i / width) * width, Math.floor(i / width) * width + width);
    return value - row.reduce((s, x) => s + x, 0) / width;
  });

test('stack recovers a known logistic combination of the members (and a passthrough feature)', () => {
  const data = synthetic(20_000, 1);
  const spec = fitFusion('stack', data.members, data.labels, [KIND, TAGS], { fittedOn: 'out-of-fold', l2: 1e-6 }, data.passthrough);
  const [kind, tags] = spec.tasks as [StackFusion, StackFusion];
  assert.equal(kind.link, 'softmax');
  const fitted = centred([...kind.coefficients, ...kind.passthrough], 3);
  assert.ok(maxAbsDiff(fitted, data.W.flat()) < 0.15, `W ${fitted.map((w) => w.toFixed(2))} vs ${data.W.flat()}`);
  assert.ok(maxAbsDiff(centred(kind.intercepts, 3), data.b) < 0.15, `b ${kind.intercepts}`);
  assert.equal(tags.link, 'sigmoid');
  assert.ok(maxAbsDiff(tags.coefficients, data.a.flat()) < 0.1, `a ${tags.coefficients} vs ${data.a.flat()}`);
  assert.ok(maxAbsDiff(tags.passthrough, data.v) < 0.1, `v ${tags.passthrough}`);
  assert.ok(maxAbsDiff(tags.intercepts, data.c) < 0.1, `c ${tags.intercepts}`);
  const probe = synthetic(2_000, 2);
  const fused = applyFusion(spec, probe.members, probe.passthrough);
  // Mean error on fresh rows: a few extreme log-probabilities magnify the estimation error of W.
  assert.ok(meanAbsDiff(fused[0]!, probe.truth.kind) < 0.01, `kind probabilities off by ${meanAbsDiff(fused[0]!, probe.truth.kind)} on average`);
  assert.ok(meanAbsDiff(fused[1]!, probe.truth.tags) < 0.01, `tags probabilities off by ${meanAbsDiff(fused[1]!, probe.truth.tags)} on average`);
});

test('a stronger L2 penalty shrinks the stack’s coefficients', () => {
  const data = synthetic(2_000, 3);
  const norm = (l2: number) => {
    const f = fitFusion('stack', data.members, data.labels, [KIND, TAGS], { fittedOn: 'held-out', l2 }).tasks as StackFusion[];
    return f.map((t) => Math.hypot(...t.coefficients));
  };
  const [weak, strong] = [norm(1e-4), norm(1)];
  weak.forEach((w, t) => assert.ok(strong[t]! < 0.5 * w, `task ${t}: ‖coefficients‖ ${strong[t]} with l2 = 1 vs ${w} with l2 = 1e-4`));
});
