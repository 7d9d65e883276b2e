/**
 * Fused runs through the library API: the fused folder's ONNX predictions equal the fusion computed
 * in JS from the members' own predictions (trees: the JS predictor on the saved ensembles; a network:
 * its own graph), the plan's preprocessing is in the merged graph once, model.json says how the
 * fusion was fitted and lists every member and method, and the same seed gives the same bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fuseMembersOnnx, mergeMembers } from '../../src/bundle/compose-members.js';
import { exportOnnx } from '../../src/bundle/export-onnx.js';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { OptionError } from '../../src/errors.js';
import { featurePlanToOnnx, parsePlan, treeInputs } from '../../src/features/index.js';
import { applyFusion, fitFusion, parseFusionSpec } from '../../src/fusion/index.js';
import { carveFusionShare } from '../../src/pipeline/fusion-share.js';
import { memberPredictor } from '../../src/pipeline/member-predict.js';
import { trainMember } from '../../src/pipeline/train-member.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { parseTrainOptions } from '../../src/train/options.js';
import { prepareData } from '../../src/train/prepare.js';
import { predictProbabilities } from '../../src/trees/predict.js';
import { parseEnsemble } from '../../src/trees/serialize.js';
import { VERSION } from '../../src/version.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles();
const base = { tasks: 'kind,flag', test: files.test, rounds: 20, leaves: 8, threads: 1 };

function worstDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

for (const fusion of ['stack', 'select', 'mean']) {
  test(`trees fused by ${fusion}: the folder's ONNX predictions are applyFusion over the members' JS predictions`, async () => {
    const out = join(files.dir, `trees-${fusion}`);
    const report = await trainModel(files.train, out, { ...base, members: ['gbdt', 'gbdt-per-task'], fusion });
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(meta.fusion.method, fusion);
    assert.equal(meta.fusion.fittedOn, 'held-out');
    assert.equal(meta.fusion.rows, report.fusion!.rows);
    assert.deepEqual(meta.members.map((m: { arch: string }) => m.arch), ['gbdt', 'gbdt-per-task']);
    const names: string[] = meta.metrics.leaderboard.entries.map((e: { name: string }) => e.name).sort();
    // Each method, and again with the macro-F1 decision rule where it fitted one.
    assert.deepEqual(names.filter((n) => !n.endsWith('+macro-f1')), ['fusion:auto', 'fusion:best', 'fusion:mean', 'fusion:select', 'fusion:stack', 'gbdt', 'gbdt-per-task']);
    for (const n of names.filter((m) => m.endsWith('+macro-f1'))) assert.ok(names.includes(n.replace(/\+macro-f1$/, '')), n);
    const auto = meta.metrics.leaderboard.entries.find((e: { name: string }) => e.name === 'fusion:auto');
    assert.deepEqual(Object.keys(auto.methods), report.tasks, 'auto names the method it chose for each task');
    assert.ok(Object.values(auto.methods).every((m) => ['mean', 'best', 'select', 'stack'].includes(String(m))), JSON.stringify(auto.methods));
    assert.equal(report.baselineArch, 'gbdt-per-task', 'a per-task member is the baseline');

    const table = await readTable(files.test);
    const plan = parsePlan(meta.plan);
    const members = meta.members.map((m: { trees: { ensemble: unknown } }) => predictProbabilities(parseEnsemble(m.trees.ensemble), treeInputs(plan, table)));
    const js = applyFusion(parseFusionSpec(meta.fusion.spec), members);
    const model = await PolyheadModel.load(out);
    const onnx = await model.predict(table);
    await model.release();
    js.forEach((p, t) => {
      const worst = worstDifference(onnx[t]!.probabilities, p);
      assert.ok(worst <= 1e-5, `task ${t}: largest difference ${worst}`);
    });
  });
}

test('a network and trees fused: ONNX equals applyFusion over the members\' own graphs; the plan fragment is merged once', async () => {
  const o = parseTrainOptions({ ...base, rounds: 10, members: ['gbdt', 'shared-bottom'], epochs: 3, batchSize: 32, hidden: [16], towerHidden: [8] });
  const p = await prepareData(files.train, o);
  const share = carveFusionShare(p, 0.2, o.seed);
  const run = { data: [files.train], out: join(files.dir, 'unit'), resume: false };
  const archs = ['gbdt', 'shared-bottom', 'single-task'];
  const trained = [];
  for (const arch of archs) trained.push(await trainMember(share.members, { ...o, arch }, arch, run));
  const onnx = trained.map((m) => m.onnx());
  const table = await readTable(files.test);
  const predict = async (i: number, rows: Int32Array | null, from = table) => {
    const predictor = await memberPredictor(onnx[i]!, p.plan, p.schema.tasks, 1);
    const probs = await predictor.predict(from, rows);
    await predictor.release();
    return probs;
  };
  const shareProbs = await Promise.all(archs.map((_, i) => predict(i, share.rows, p.table)));
  const spec = fitFusion('stack', shareProbs, share.labels, p.schema.tasks, { fittedOn: 'held-out' });
  const bytes = exportOnnx(fuseMembersOnnx(onnx, spec, p.schema.tasks), p.schema.tasks, VERSION);

  // Both networks read the plan's fragment: the merged graph holds it once (and whatever else is equal, once too).
  const fragment = featurePlanToOnnx(p.plan).nodes.length;
  const merged = mergeMembers(onnx);
  const apart = onnx.reduce((n, m) => n + m.nodes.length, 0);
  assert.ok(merged.nodes.length <= apart - fragment, `merged ${merged.nodes.length} nodes; ${apart} apart, the fragment has ${fragment}`);
  assert.equal(mergeMembers([onnx[1]!, onnx[1]!]).nodes.length, onnx[1]!.nodes.length, 'a member merged with itself adds nothing');

  const { CompiledModel, makeTensor, tensorData } = await import('../../src/runtime/session.js');
  const { rawColumnValues, rawInputsOf } = await import('../../src/features/index.js');
  const session = await CompiledModel.create(bytes, rawInputsOf(p.plan).map((i) => ({ ...i, shape: ['batch', 1] })), { threads: 1 });
  const feeds = Object.fromEntries(rawColumnValues(table, p.plan).map((v) => [v.name, v.dtype === 'float32' ? makeTensor('float32', v.values, [table.rowCount, 1]) : makeTensor('string', v.values, [table.rowCount, 1])]));
  const res = await session.run(feeds);
  await session.release();
  const js = applyFusion(spec, await Promise.all(archs.map((_, i) => predict(i, null))));
  p.schema.tasks.forEach((t, i) => {
    const worst = worstDifference(tensorData(res[`${t.name}.probabilities`]!) as Float32Array, js[i]!);
    assert.ok(worst <= 1e-5, `task ${t.name}: largest difference ${worst}`);
  });
});

test('a fused run gives the same model bytes for the same data, options and seed', async () => {
  const [a, b] = [join(files.dir, 'same-a'), join(files.dir, 'same-b')];
  const options = { ...base, members: ['gbdt', 'gbdt-per-task'], fusion: 'select' };
  await trainModel(files.train, a, options);
  await trainModel(files.train, b, options);
  assert.deepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(b, 'model.onnx')));
});

test('contradicting fused-run options are refused before any work, naming the options', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ members: ['gbdt'], preset: 'fast' }, /--members and --preset/],
    [{ members: ['gbdt'], arch: 'mmoe' }, /--arch mmoe trains one model/],
    [{ members: ['gbdt', 'gbdt'] }, /'gbdt' is listed twice/],
    [{ fusion: 'stack' }, /--fusion applies to a fused model/],
    [{ timeLimit: 10 }, /--time-limit applies to a fused model/],
    [{ members: ['gbdt'], fusion: 'vote' }, /unknown fusion method; choose one of: mean, select, stack, best, auto/],
    [{ members: ['nope'] }, /unknown architecture/],
    [{ preset: 'huge' }, /option 'preset'/],
  ];
  for (const [options, expect] of cases) assert.throws(() => parseTrainOptions({ tasks: 'a', ...options }), (e: unknown) => e instanceof OptionError && expect.test(e.message), JSON.stringify(options));
});

test('--time-limit: the first member trains, a member that would start after the limit is skipped with a warning, a network starts no new epoch', async () => {
  const out = join(files.dir, 'limited');
  const report = await trainModel(files.train, out, { ...base, members: ['linear', 'gbdt'], epochs: 5, timeLimit: 0.001 });
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.deepEqual(meta.members.map((m: { arch: string }) => m.arch), ['linear']);
  assert.equal(meta.members[0].training.epochs, 1, 'one epoch, then the deadline');
  assert.ok(report.warnings.some((w) => /time limit \(--time-limit 0\.001\) was reached before member 'gbdt'; skipped gbdt/.test(w)), report.warnings.join('\n'));
  assert.equal(meta.fusion.spec.members, 1);
});
