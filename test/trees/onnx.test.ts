/**
 * The exported ensemble against the JS predictor: the same rows through predict.ts and through
 * onnxruntime give the same probabilities to 1e-5, for numeric and categorical splits, missing
 * values, shared multi-output and per-task trees, and every task type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FragmentBuilder } from '../../src/features/onnx-builder.js';
import { decodeModel, encodeModel, makeValueInfo } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import type { TreeEnsemble, TreeInputs } from '../../src/trees/model.js';
import { ensembleToOnnx } from '../../src/trees/onnx.js';
import { predictProbabilities } from '../../src/trees/predict.js';
import { randomEnsemble, randomInputs, randomTree, lcg, rowMajor, TASKS, FEATURES } from './random-ensemble.js';

function modelOf(ensemble: TreeEnsemble): Uint8Array {
  const b = new FragmentBuilder('');
  const probs = ensembleToOnnx(b, ensemble, 'x');
  const outputs = ensemble.tasks.map((t, i) => {
    const name = `p${i}`;
    b.op('Identity', [probs[i]!], name);
    return makeValueInfo(name, 'float32', ['batch', t.type === 'binary' ? 2 : t.width]);
  });
  return encodeModel({ name: 'trees', nodes: b.nodes, initializers: b.initializers, inputs: [makeValueInfo('x', 'float32', ['batch', ensemble.features.length])], outputs });
}

async function onnxProbabilities(ensemble: TreeEnsemble, inputs: TreeInputs): Promise<Float32Array[]> {
  const model = await CompiledModel.create(modelOf(ensemble), [{ name: 'x', dtype: 'float32', shape: ['batch', ensemble.features.length] }]);
  const res = await model.run({ x: makeTensor('float32', rowMajor(inputs), [inputs.rowCount, inputs.features.length]) });
  await model.release();
  return ensemble.tasks.map((_, i) => tensorData(res[`p${i}`]!) as Float32Array);
}

async function assertParity(ensemble: TreeEnsemble, inputs: TreeInputs): Promise<void> {
  const js = predictProbabilities(ensemble, inputs);
  const ort = await onnxProbabilities(ensemble, inputs);
  js.forEach((p, t) => {
    assert.equal(ort[t]!.length, p.length, `task ${t} shape`);
    for (let i = 0; i < p.length; i++) assert.ok(Math.abs(ort[t]![i]! - p[i]!) <= 1e-5, `task ${t} element ${i}: onnx ${ort[t]![i]} js ${p[i]}`);
  });
}

describe('ONNX TreeEnsemble export', () => {
  it('a hand-made tree: numeric split, categorical set, missing to the left', async () => {
    // root: c in {1, 3} → leaf +2; else a <= 0.5 (NaN left) → leaf -1, else leaf +0.25.
    const tree = randomTree(lcg(1), 0, [0]);
    const hand: TreeEnsemble = {
      features: FEATURES,
      outputCount: 1,
      tasks: [{ name: 'bin', type: 'binary', offset: 0, width: 1 }],
      base: Float32Array.of(0.1),
      trees: [{
        ...tree,
        feature: Int32Array.of(2, -1, 0, -1, -1),
        threshold: Float32Array.of(0, 0, 0.5, 0, 0),
        catStart: Int32Array.of(0, 2, 2, 2, 2, 2),
        catCodes: Int32Array.of(1, 3),
        missingLeft: Uint8Array.of(0, 0, 1, 0, 0),
        left: Int32Array.of(1, -1, 3, -1, -1),
        right: Int32Array.of(2, -1, 4, -1, -1),
        values: Float32Array.of(0, 2, 0, -1, 0.25),
      }],
    };
    const inputs: TreeInputs = {
      rowCount: 5,
      features: FEATURES,
      columns: [Float32Array.of(0, 0.5, 0.6, NaN, 9), new Float32Array(5), Float32Array.of(1, 0, 0, 2, 3), new Float32Array(5)],
    };
    const [p] = await onnxProbabilities(hand, inputs);
    const logits = [2.1, -0.9, 0.35, -0.9, 2.1];
    logits.forEach((z, i) => assert.ok(Math.abs(p![2 * i + 1]! - 1 / (1 + Math.exp(-z))) < 1e-6, `row ${i}`));
    await assertParity(hand, inputs);
  });

  for (const mode of ['shared', 'per-task'] as const) {
    it(`random ${mode} ensembles match predict.ts to 1e-5`, async () => {
      for (const seed of [3, 4, 5]) await assertParity(randomEnsemble(seed, mode, 40), randomInputs(seed + 100, 500));
    });
  }

  it('an ensemble of single leaves only is its base plus constants', async () => {
    const r = lcg(9);
    const ensemble: TreeEnsemble = { ...randomEnsemble(2, 'shared', 1), trees: [randomTree(r, 0, [0, 1, 2, 3, 4, 5])] };
    await assertParity(ensemble, randomInputs(8, 20));
  });

  it('the same ensemble gives the same bytes; a shared tree is one tree per output', () => {
    const e = randomEnsemble(6, 'shared', 10);
    assert.deepEqual(modelOf(e), modelOf(e));
    const node = decodeModel(modelOf(e)).graph!.node!.find((n) => n.opType === 'TreeEnsemble')!;
    const roots = node.attribute!.find((a) => a.name === 'tree_roots')!.ints!.length;
    const leafTrees = e.trees.filter((t) => t.feature[0]! < 0).length;
    assert.equal(roots, (e.trees.length - leafTrees) * TASKS.reduce((s, t) => s + t.width, 0));
  });
});
