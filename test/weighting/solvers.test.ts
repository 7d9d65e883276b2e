import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matVec, solve, symmetricEigen } from '../../src/weighting/linalg.js';
import { minQuadraticAbove, projectOntoSimplex } from '../../src/weighting/solvers.js';

test('projection onto the simplex: known points', () => {
  assert.deepEqual(Array.from(projectOntoSimplex([0.2, 0.3, 0.5])), [0.2, 0.3, 0.5]);
  assert.deepEqual(Array.from(projectOntoSimplex([2, 0, 0])), [1, 0, 0]);
  const p = projectOntoSimplex([1, 1, -1]);
  assert.deepEqual(Array.from(p), [0.5, 0.5, 0]);
});

test('solve: A x = b, and null for a singular matrix', () => {
  const a = Float64Array.of(0, 2, 1, 1, 1, 0, 3, 0, 1);
  const x = solve(a, [5, 2, 6], 3)!;
  Array.from(matVec(a, x, 3)).forEach((v, i) => assert.ok(Math.abs(v - [5, 2, 6][i]!) < 1e-12));
  assert.equal(solve(Float64Array.of(1, 2, 2, 4), [1, 1], 2), null);
});

test('symmetric eigen-decomposition: descending values, A v = λ v', () => {
  const a = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1);
  const { values, vectors } = symmetricEigen(a, 3);
  assert.ok(values[0]! >= values[1]! && values[1]! >= values[2]!);
  for (let k = 0; k < 3; k++) {
    const v = [0, 1, 2].map((r) => vectors[r * 3 + k]!);
    Array.from(matVec(a, v, 3)).forEach((av, r) => assert.ok(Math.abs(av - values[k]! * v[r]!) < 1e-10));
  }
});

test('min vᵀGv over v ≥ u: interior and bound cases', () => {
  // G = I: the minimum is the bound itself
  assert.deepEqual(Array.from(minQuadraticAbove(Float64Array.of(1, 0, 0, 1), [0.5, 0], 2)), [0.5, 0]);
  // conflicting: v = (½, t), t = −G12·½/G22 = ¼
  const v = minQuadraticAbove(Float64Array.of(1, -0.5, -0.5, 1), [0.5, 0], 2);
  assert.ok(Math.abs(v[0]! - 0.5) < 1e-12 && Math.abs(v[1]! - 0.25) < 1e-12);
});
