/** The saved form of an ensemble: JSON and back gives the same predictions; damage is refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelError } from '../../src/errors.js';
import { predictRaw } from '../../src/trees/predict.js';
import { ensembleToJson, parseEnsemble } from '../../src/trees/serialize.js';
import { randomEnsemble, randomInputs } from './random-ensemble.js';

describe('ensemble serialisation', () => {
  for (const mode of ['shared', 'per-task'] as const) {
    it(`${mode}: through JSON text and back, the raw scores are identical`, () => {
      const e = randomEnsemble(11, mode, 25);
      const back = parseEnsemble(JSON.parse(JSON.stringify(ensembleToJson(e))));
      const inputs = randomInputs(12, 300);
      assert.deepEqual(predictRaw(back, inputs), predictRaw(e, inputs));
      assert.deepEqual(back.tasks, e.tasks);
    });
  }

  it('refuses a truncated array, a child outside the tree and a missing field, with ModelError', () => {
    const json = ensembleToJson(randomEnsemble(13, 'shared', 5));
    const tree = json.trees.find((t) => Buffer.from(t.feature, 'base64').readInt32LE(0) >= 0)!;
    const damaged = (change: (j: typeof json) => void) => {
      const copy = structuredClone(json);
      change(copy);
      return () => parseEnsemble(copy);
    };
    const index = json.trees.indexOf(tree);
    assert.throws(damaged((j) => (j.trees[index]!.left = Buffer.from(Buffer.from(tree.left, 'base64').subarray(4)).toString('base64'))), ModelError);
    const farLeft = Buffer.from(tree.left, 'base64');
    farLeft.writeInt32LE(1 << 20, 0);
    assert.throws(damaged((j) => (j.trees[index]!.left = farLeft.toString('base64'))), /child outside the tree/);
    assert.throws(damaged((j) => delete (j as Partial<typeof json>).base), ModelError);
  });
});
