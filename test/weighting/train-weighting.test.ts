/**
 * Weighting wired into training: every architecture trains with a Gram method on both kinds of G,
 * tasks missing from whole batches get no NaN, seeded runs repeat byte for byte, a resumed run
 * continues the method's state exactly, and the affinity table is saved in model.json.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARCHITECTURES } from '../../src/arch/index.js';
import { OptionError } from '../../src/errors.js';
import { presentTasks } from '../../src/train/trainer.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { syntheticCsv, syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 200);
const base = { tasks: 'kind,flag', test: files.test, epochs: 3, patience: 0, batchSize: 32, lr: 0.01, hidden: [16, 8], towerHidden: [8], experts: 2, baseline: false, threads: 1 };
const modelJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));

test('every architecture trains with MGDA over the shared parameters and over the shared representation', async () => {
  for (const arch of ARCHITECTURES) {
    for (const gramOn of ['params', 'representation'] as const) {
      const out = join(files.dir, `arch-${arch}-${gramOn}`);
      await trainModel(files.train, out, { ...base, arch, weighting: 'mgda', gramOn });
      const history = modelJson(out).training.history as { trainLoss: number[]; coefficients: number[] }[];
      assert.ok(history.every((h) => h.coefficients.every((c) => Number.isFinite(c) && c >= 0)), `${arch}/${gramOn}: ${JSON.stringify(history)}`);
      history[0]!.trainLoss.forEach((l, t) => assert.ok(history.at(-1)!.trainLoss[t]! < l, `${arch}/${gramOn}: task ${t} loss ${l} → ${history.at(-1)!.trainLoss[t]}`));
    }
  }
});

test('the affinity table is saved: T×T, 1 on the diagonal, cosines in [−1, 1]', async () => {
  const out = join(files.dir, 'affinity');
  const report = await trainModel(files.train, out, { ...base, weighting: 'pcgrad' });
  const saved = modelJson(out).training.affinity as number[][];
  assert.deepEqual(saved, report.affinity);
  assert.equal(saved.length, 2);
  saved.forEach((row, i) => row.forEach((v, j) => assert.ok(i === j ? Math.abs(v - 1) < 1e-5 : Math.abs(v) <= 1, `[${i}][${j}] = ${v}`)));
  const equal = await trainModel(files.train, join(files.dir, 'no-affinity'), { ...base, epochs: 1 });
  assert.equal(equal.affinity, undefined, 'equal computes no G, so no affinity');
  const asked = await trainModel(files.train, join(files.dir, 'asked-affinity'), { ...base, epochs: 1, affinity: true, gramOn: 'representation' });
  assert.equal(asked.affinity?.length, 2, '--affinity measures it with equal weighting');
});

test('tasks with no labelled row in many batches: coefficient 0 there, never a NaN', async () => {
  const lines = syntheticCsv(400, 5).trim().split('\n');
  const sparse = [lines[0], ...lines.slice(1).map((l, i) => (i % 40 === 0 ? l : l.replace(/,(yes|no)$/, ',')))].join('\n') + '\n';
  const path = join(files.dir, 'sparse.csv');
  writeFileSync(path, sparse);
  assert.deepEqual(Array.from(presentTasks([{ type: 'binary', classIndex: Int32Array.of(1, -1, 0) } as never, { type: 'binary', classIndex: Int32Array.of(-1, -1, 0) } as never], Int32Array.of(0, 1))), [1, 0]);
  for (const weighting of ['mgda', 'gls', 'famo', 'nash-mtl', 'db-mtl']) {
    const out = join(files.dir, `sparse-${weighting}`);
    await trainModel(path, out, { ...base, test: undefined, testFraction: 0.2, batchSize: 8, epochs: 2, weighting, force: true });
    const history = modelJson(out).training.history as { trainLoss: number[]; coefficients: number[] }[];
    assert.ok(history.every((h) => [...h.trainLoss, ...h.coefficients].every(Number.isFinite)), `${weighting}: ${JSON.stringify(history)}`);
  }
});

test('the same seed gives the same model bytes with a randomised Gram method', async () => {
  const [a, b] = [join(files.dir, 'seed-a'), join(files.dir, 'seed-b')];
  await trainModel(files.train, a, { ...base, epochs: 2, weighting: 'pcgrad' });
  await trainModel(files.train, b, { ...base, epochs: 2, weighting: 'pcgrad' });
  assert.deepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(b, 'model.onnx')));
});

test('a resumed run continues the method state and ends with the bytes of an uninterrupted run', async () => {
  for (const weighting of ['gradnorm', 'famo']) {
    const whole = join(files.dir, `whole-${weighting}`);
    const cut = join(files.dir, `cut-${weighting}`);
    await trainModel(files.train, whole, { ...base, weighting });
    const stop = new Error('stop');
    await assert.rejects(trainModel(files.train, cut, { ...base, weighting }, { onEvent: (e) => { if (e.event === 'epoch' && e.epoch === 2) throw stop; } }), (e) => e === stop);
    const events: string[] = [];
    await trainModel(files.train, cut, { ...base, weighting }, { resume: true, onEvent: (e) => events.push(e.event) });
    assert.ok(events.includes('resumed'), `${weighting}: resumed from the checkpoint`);
    assert.deepEqual(readFileSync(join(cut, 'model.onnx')), readFileSync(join(whole, 'model.onnx')), weighting);
  }
});

test('a misspelt method or a bad method option is refused with the valid values, before any work', async () => {
  await assert.rejects(trainModel(files.train, join(files.dir, 'bad'), { ...base, weighting: 'pc-grad' }), (e: unknown) => e instanceof OptionError && /pc-grad/.test(e.message) && /pcgrad/.test(e.message) && /mgda/.test(e.message));
  await assert.rejects(trainModel(files.train, join(files.dir, 'bad'), { ...base, weighting: 'cagrad', weightingOptions: { alpha: 'big' } }), (e: unknown) => e instanceof OptionError && /alpha/.test(e.message));
  await assert.rejects(trainModel(files.train, join(files.dir, 'bad'), { ...base, gramOn: 'weights' as never }), (e: unknown) => e instanceof OptionError && /gramOn/.test(e.message));
});
