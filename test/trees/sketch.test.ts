import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBins, fitBins } from '../../src/trees/binning.js';
import { TreeGrower } from '../../src/trees/grow.js';
import { DEFAULT_GBDT_OPTIONS, predictRaw, trainEnsemble, type GbdtOptions } from '../../src/trees/index.js';
import { gradients } from '../../src/trees/loss.js';
import { leafOf } from '../../src/trees/predict.js';
import { projectGradients } from '../../src/trees/sampling.js';
import { term } from '../../src/trees/split.js';
import { Random } from '../../src/util/random.js';
import { binaryTask, labelsFor, multiclassTask, problem } from './synthetic.js';

const options = (o: Partial<GbdtOptions> = {}): GbdtOptions => ({ ...DEFAULT_GBDT_OPTIONS, rounds: 30, leaves: 8, minLeaf: 10, stopOn: 'loss', ...o });
const train = problem(1200, 1);
const valid = problem(600, 2);
const tasks = [binaryTask, multiclassTask];
const splitOf = (p: typeof train, seed: number) => ({ inputs: p.inputs, labels: tasks.map((t, i) => labelsFor(t, p, seed + i)) });

test('random projection: each channel pairs a combination of the gradients with the mean Hessian; Σ_j G̃_j² estimates Σ_o g_o²', () => {
  const r = new Random(5);
  const outputs = 6;
  const gh = Float32Array.from({ length: 2 * outputs }, (_, i) => (i % 2 ? 0.1 + r.next() : r.normal()));
  const meanH = Array.from({ length: outputs }, (_, o) => gh[2 * o + 1]!).reduce((a, b) => a + b, 0) / outputs;
  const squares = Array.from({ length: outputs }, (_, o) => gh[2 * o]! ** 2).reduce((a, b) => a + b, 0);
  const k = 2;
  let sum = 0;
  const draws = 4000;
  const random = new Random(9);
  for (let d = 0; d < draws; d++) {
    const s = projectGradients(gh, outputs, Int32Array.from({ length: outputs }, (_, o) => o), new Int32Array(outputs), k, random, { buffer: new Float32Array(0) }).search;
    // Packed: the k projected gradients, then the one mean Hessian they share.
    assert.deepEqual(s.packed && Array.from(s.packed.of), [0, k, 1, k]);
    // Stored in float32, as every gradient is.
    assert.equal(s.gh[k], Math.fround(meanH));
    for (let j = 0; j < k; j++) sum += s.gh[j]! ** 2;
  }
  assert.ok(Math.abs(sum / draws / squares - 1) < 0.06, `E Σ G̃² / Σ g² = ${sum / draws / squares}`);
});

test('a tree grown on a sketch records every output\'s exact split gain, from that output\'s own gradients', () => {
  const data = applyBins(fitBins(train.inputs, 255), train.inputs);
  const labels = splitOf(train, 10).labels;
  const n = 4;
  const raw = new Float64Array(train.inputs.rowCount * n);
  const gh = new Float32Array(raw.length * 2);
  gradients([{ name: 'b', type: 'binary', offset: 0, width: 1 }, { name: 'm', type: 'multiclass', offset: 1, width: 3 }], labels, raw, n, gh);
  const all = Int32Array.of(0, 1, 2, 3);
  // One task of four outputs: one projected channel.
  const { search, width } = projectGradients(gh, n, all, new Int32Array(n), 1, new Random(3), { buffer: new Float32Array(0) });
  assert.equal(width, 1);
  const grower = new TreeGrower(data, 1, { leaves: 4, maxDepth: 0, lr: 0.1, minLeaf: 10, minHessian: 1e-3, l2: 0, minGain: 0 });
  const rows = Int32Array.from({ length: train.inputs.rowCount }, (_, i) => i);
  const grown = grower.grow(rows, Int32Array.of(0, 1, 2), { search, full: gh, outputCount: n, searchIsTree: false }, all);
  const tree = grown.tree;
  assert.ok(tree.feature[0]! >= 0, 'the root splits');
  for (let o = 0; o < n; o++) {
    // The root's children hold the rows whose leaf is under left[0] / right[0].
    const under = (node: number, target: number): boolean => node === target || (tree.left[node]! >= 0 && (under(tree.left[node]!, target) || under(tree.right[node]!, target)));
    const s = [0, 0, 0, 0];
    for (let i = 0; i < rows.length; i++) {
      const side = under(tree.left[0]!, leafOf(tree, train.inputs.columns, i)) ? 0 : 2;
      s[side] += gh[2 * (i * n + o)]!;
      s[side + 1] += gh[2 * (i * n + o) + 1]!;
    }
    const expected = term(s[0]!, s[1]!, 0, 1e-3) + term(s[2]!, s[3]!, 0, 1e-3) - term(s[0]! + s[2]!, s[1]! + s[3]!, 0, 1e-3);
    assert.ok(Math.abs(grown.outputGain[o]! - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `output ${o}: ${grown.outputGain[o]} vs ${expected}`);
  }
});

for (const sketchMethod of ['projection', 'top'] as const) {
  test(`shared trees on a ${sketchMethod} sketch of one column: leaf values for every output, both tasks learn, credited importance, same seed same trees`, () => {
    const o = options({ mode: 'shared', sketch: 1, sketchMethod });
    const fit = (seed: number) => trainEnsemble(splitOf(train, 10), splitOf(valid, 20), tasks, { ...o, seed });
    const result = fit(1);
    const v = splitOf(valid, 20);
    const n = result.ensemble.outputCount;
    const model = gradients(result.ensemble.tasks, v.labels, predictRaw(result.ensemble, valid.inputs), n, null);
    const constant = gradients(result.ensemble.tasks, v.labels, predictRaw({ ...result.ensemble, trees: [] }, valid.inputs), n, null);
    tasks.forEach((t, i) => assert.ok(model[i]! < 0.8 * constant[i]!, `${t.name}: ${model[i]} vs constant ${constant[i]}`));
    assert.deepEqual(Array.from(result.ensemble.trees[0]!.outputs), [0, 1, 2, 3]);
    assert.ok(result.importance.every((imp) => imp.gain.some((g) => g > 0)));
    const json = (r: ReturnType<typeof fit>) => JSON.stringify(r.ensemble, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : x));
    assert.equal(json(fit(1)), json(result));
    if (sketchMethod === 'projection') assert.notEqual(json(fit(2)), json(result), 'the projection is drawn from the seed');
  });
}

test('random projection of three columns (its own loop): each column is Σ_o g_o w_co in output order, with the weights drawn in turn', () => {
  const r = new Random(11);
  const [rows, m, k] = [7, 5, 3];
  const gh = Float32Array.from({ length: rows * 2 * m }, (_, i) => (i % 2 ? 0.1 + r.next() : r.normal()));
  const s = projectGradients(gh, m, Int32Array.from({ length: m }, (_, o) => o), new Int32Array(m), k, new Random(4), { buffer: new Float32Array(0) }).search;
  const same = new Random(4);
  const w = Float64Array.from({ length: k * m }, () => same.normal() / Math.sqrt(k));
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) {
      let g = 0;
      for (let o = 0; o < m; o++) g += gh[2 * (i * m + o)]! * w[c * m + o]!;
      assert.equal(s.gh[i * (k + 1) + c], Math.fround(g));
    }
    let h = 0;
    for (let o = 0; o < m; o++) h += gh[2 * (i * m + o) + 1]!;
    assert.equal(s.gh[i * (k + 1) + k], Math.fround(h / m));
  }
});
