/**
 * The fusion's key contract with the bundle: the same member probabilities through applyFusion (JS)
 * and through fusionToOnnx's nodes (onnxruntime) give the same fused probabilities, to 1e-6.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFusion, fitFusion, FUSION_METHODS, fusionToOnnx, type FusionSpec, type Passthrough } from '../../src/fusion/index.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { maxAbsDiff, problem, TASKS, type Problem } from './helpers.js';

const fit = problem(400, 3);
const defaultProbe = problem(64, 4);
const probe = defaultProbe;
// Probabilities of exactly 0 and 1 exercise the clipping before the logarithms.
probe.members[0]![0]!.set([1, 0, 0], 0);
probe.members[1]![1]!.set([0, 1], 2);
probe.members[2]![2]!.set([0, 1, 1e-12], 3);

const memberName = (m: number, t: number) => `member${m}/${TASKS[t]!.name}`;
const outputs = TASKS.map((t) => `probabilities:${t.name}`);

async function runOnnx(spec: FusionSpec, passthrough?: Passthrough, probe = defaultProbe): Promise<Float32Array[]> {
  const names = probe.members.map((perTask, m) => perTask.map((_, t) => memberName(m, t)));
  const fragment = fusionToOnnx(spec, { members: names, ...(passthrough ? { passthrough: 'numeric' } : {}) }, outputs);
  const inputs = fragment.inputs.map((i) => ({ name: i.name!, dtype: 'float32' as const, shape: i.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)) }));
  const model = await CompiledModel.create(encodeModel({ name: 'fusion', ...fragment }), inputs, { threads: 1 });
  const feeds = Object.fromEntries(
    probe.members.flatMap((perTask, m) => perTask.map((p, t) => [memberName(m, t), makeTensor('float32', p, [probe.rows, TASKS[t]!.classes.length])])),
  );
  if (passthrough) feeds['numeric'] = makeTensor('float32', passthrough.values, [probe.rows, passthrough.width]);
  const out = await model.run(feeds);
  await model.release();
  return outputs.map((name, t) => {
    assert.deepEqual([...out[name]!.dims], [probe.rows, TASKS[t]!.classes.length], name);
    return tensorData(out[name]!) as Float32Array;
  });
}

for (const method of FUSION_METHODS) {
  test(`fusion ${method}: the ONNX nodes give applyFusion's probabilities`, async () => {
    const spec = fitFusion(method, fit.members, fit.labels, TASKS, { fittedOn: 'held-out' });
    const js = applyFusion(spec, probe.members);
    const onnx = await runOnnx(spec);
    TASKS.forEach((task, t) => assert.ok(maxAbsDiff(js[t]!, onnx[t]!) < 1e-6, `${task.name} differs by ${maxAbsDiff(js[t]!, onnx[t]!)}`));
  });
}

test('fusion stack with passthrough features: the ONNX nodes give applyFusion’s probabilities', async () => {
  const spec = fitFusion('stack', fit.members, fit.labels, TASKS, { fittedOn: 'held-out' }, { values: fit.features, width: 2 });
  assert.equal(spec.passthrough, 2);
  const passthrough = { values: probe.features, width: 2 };
  const js = applyFusion(spec, probe.members, passthrough);
  const onnx = await runOnnx(spec, passthrough);
  TASKS.forEach((task, t) => assert.ok(maxAbsDiff(js[t]!, onnx[t]!) < 1e-6, `${task.name} differs by ${maxAbsDiff(js[t]!, onnx[t]!)}`));
});

test('a weighted fusion reads only the members it gives weight to', () => {
  const spec = fitFusion('best', fit.members, fit.labels, TASKS, { fittedOn: 'held-out' });
  const names = fit.members.map((perTask, m) => perTask.map((_, t) => memberName(m, t)));
  const read = new Set(fusionToOnnx(spec, { members: names }, outputs).nodes.flatMap((n) => n.input ?? []));
  spec.tasks.forEach((f, t) => {
    if (f.kind !== 'weighted') throw new Error('best gives weights');
    f.weights.forEach((w, m) => assert.equal(read.has(memberName(m, t)), w > 0, `${memberName(m, t)} weight ${w}`));
  });
});

/** Every member under-predicts class c of task kind (its probability scaled by a fifth): the argmax rarely picks it. */
function underPredicting(p: Problem): Problem {
  for (const perTask of p.members) {
    const k = perTask[0]!;
    for (let i = 0; i < k.length; i += 3) {
      k[i + 2] = k[i + 2]! * 0.2;
      const sum = k[i]! + k[i + 1]! + k[i + 2]!;
      for (let c = 0; c < 3; c++) k[i + c] = k[i + c]! / sum;
    }
  }
  return p;
}

for (const method of ['select', 'stack', 'auto']) {
  test(`fusion ${method} with the macro-F1 decision rule: fitted on the multiclass task alone, and the ONNX nodes give applyFusion's probabilities`, async () => {
    const skewed = underPredicting(problem(400, 3));
    const spec = fitFusion(method, skewed.members, skewed.labels, TASKS, { fittedOn: 'held-out', decision: 'macro-f1' });
    if (method === 'select') assert.ok(spec.tasks[0]!.decision, 'the under-predicted class calls for a decision rule');
    assert.equal(spec.tasks[1]!.decision, undefined, 'a binary task judged by AUC keeps the argmax');
    assert.equal(spec.tasks[2]!.decision, undefined, 'a multi-label task has no decision rule');
    const probeSet = underPredicting(problem(64, 4));
    const js = applyFusion(spec, probeSet.members);
    const onnx = await runOnnx(spec, undefined, probeSet);
    TASKS.forEach((task, t) => assert.ok(maxAbsDiff(js[t]!, onnx[t]!) < 1e-6, `${task.name} differs by ${maxAbsDiff(js[t]!, onnx[t]!)}`));
  });
}
