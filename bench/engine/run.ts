/**
 * Engine benchmark: the machine's SGEMM peak (onnxruntime, and torch.mm on the reference's BLAS),
 * training throughput of the shared-bottom model against PyTorch in the same run (1 and 2 threads)
 * with the GFLOP/s each achieves, then inference latency of the exported forward graph. The load
 * average is printed beside each figure, since other work on the same cores skews both sides.
 * Run: npm run bench   (or node dist/bench/engine/run.js [--rows N] [--epochs E] [--sgemm N] [--no-reference])
 */
import { exitOnHelp } from '../usage.js';
import { loadavg } from 'node:os';
import { emitOnnx, Graph, softmax } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';
import { adam } from '../../src/train/optimizers/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';
import { describeBlas } from '../reference/process.js';
import { referenceSgemm } from '../reference/sgemm.js';
import { describeTorch, ensureTorch, runTorchBest } from '../reference/torch.js';
import { batchFeeds, CLASSES, HIDDEN, INPUTS, sharedBottom, syntheticData, TASKS, TRAINING_FLOPS_PER_SAMPLE, trainingLosses } from './model.js';
import { onnxruntimeSgemm } from './sgemm.js';

exitOnHelp(import.meta.url);

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 20000);
/** --no-reference: polyhead only (the smoke test runs the bench this way). */
const REFERENCE = !process.argv.includes('--no-reference');
const EPOCHS = arg('epochs', 10);
const BATCH = 256;
/** n of the n × n SGEMM that measures the peak. */
const SGEMM = arg('sgemm', 2048);

async function polyheadThroughput(threads: number): Promise<{ samplesPerSecond: number; params: Map<string, Float32Array> }> {
  const spec = { optimizer: adam(), build: trainingLosses };
  const init = initParams(paramLayout(spec.build).defs, new Random(0));
  const t = await Trainable.create(spec, init, { threads });
  const data = syntheticData(ROWS, 1);
  const weights = new Float32Array(TASKS).fill(1);
  const epoch = async () => {
    for (let s = 0; s + BATCH <= ROWS; s += BATCH) await t.run(batchFeeds(data, s, BATCH), 1e-3, weights);
  };
  await epoch();
  const start = performance.now();
  for (let e = 0; e < EPOCHS; e++) await epoch();
  const seconds = (performance.now() - start) / 1000;
  const samples = EPOCHS * Math.floor(ROWS / BATCH) * BATCH;
  const params = t.parameters();
  await t.release();
  return { samplesPerSecond: samples / seconds, params };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function inferenceLatency(params: Map<string, Float32Array>, threads: number): Promise<void> {
  const g = new Graph();
  const ctx = new BuildContext(g, false, { kind: 'frozen', values: params });
  const logits = sharedBottom(ctx, g.input('x', 'float32', ['batch', INPUTS]));
  logits.forEach((l, i) => g.output(`p${i}`, softmax(l)));
  const model = emitOnnx(g, 'forward');
  const session = await CompiledModel.create(model.bytes, model.inputs, { threads });
  const r = new Random(3);
  for (const rows of [1, 1024]) {
    const x = makeTensor('float32', Float32Array.from({ length: rows * INPUTS }, () => r.normal()), [rows, INPUTS]);
    const times: number[] = [];
    const runs = Math.max(20, Math.round((rows === 1 ? 2000 : 300) * Math.min(1, ROWS / 20000)));
    for (let i = 0; i < runs + 50; i++) {
      const t0 = performance.now();
      await session.run({ x });
      if (i >= 50) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `inference rows=${rows} threads=${threads}: p50 ${(percentile(times, 0.5) * 1000).toFixed(0)} µs, p99 ${(percentile(times, 0.99) * 1000).toFixed(0)} µs`,
    );
  }
  await session.release();
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const gflops = (samplesPerSecond: number): number => (samplesPerSecond * TRAINING_FLOPS_PER_SAMPLE) / 1e9;

/** onnxruntime's SGEMM GFLOP/s, printed with PyTorch's when there is a reference. */
async function sgemmPeak(threads: number, reference: boolean): Promise<number> {
  const ours = await onnxruntimeSgemm(SGEMM, threads);
  const theirs = reference ? await referenceSgemm(SGEMM, threads) : null;
  const torch = theirs ? `, pytorch ${theirs.gflops.toFixed(1)} GFLOP/s (${describeBlas(theirs.blas)})` : '';
  console.log(`sgemm ${SGEMM}×${SGEMM} float32 threads=${threads}: onnxruntime ${ours.toFixed(1)} GFLOP/s${torch} (load ${load()})`);
  return ours;
}

async function main(): Promise<void> {
  console.log(
    `engine bench: shared-bottom ${INPUTS} → ${HIDDEN.join(' → ')}, ${TASKS} heads × ${CLASSES} classes, batch ${BATCH}, Adam, ${ROWS} rows × ${EPOCHS} timed epochs; ` +
      `${TRAINING_FLOPS_PER_SAMPLE} FLOP per sample per training step (matmuls, from the layer sizes)`,
  );
  const torch = REFERENCE && (await ensureTorch());
  let best = { polyhead: 0, torch: 0 };
  let params = new Map<string, Float32Array>();
  for (const threads of [1, 2]) {
    const peak = await sgemmPeak(threads, torch);
    const ours = await polyheadThroughput(threads);
    params = ours.params;
    const ref = torch
      ? await runTorchBest({ arch: 'shared-bottom', threads, batch: BATCH, rows: ROWS, epochs: EPOCHS, inputs: INPUTS, hidden: HIDDEN, tasks: TASKS, classes: CLASSES })
      : null;
    best = { polyhead: Math.max(best.polyhead, ours.samplesPerSecond), torch: Math.max(best.torch, ref?.samplesPerSecond ?? 0) };
    const achieved = gflops(ours.samplesPerSecond);
    const mine = `polyhead ${ours.samplesPerSecond.toFixed(0)} samples/s = ${achieved.toFixed(1)} GFLOP/s (${((100 * achieved) / peak).toFixed(0)}% of the SGEMM peak)`;
    const theirs = ref
      ? `${describeTorch(ref)} = ${gflops(ref.samplesPerSecond).toFixed(1)} GFLOP/s, ratio ${(ours.samplesPerSecond / ref.samplesPerSecond).toFixed(2)}x`
      : 'pytorch skipped';
    console.log(`shared-bottom B=${BATCH} threads=${threads}: ${mine}, ${theirs} (load ${load()})`);
  }
  if (best.torch > 0) console.log(`best setting: polyhead ${best.polyhead.toFixed(0)} vs pytorch ${best.torch.toFixed(0)} samples/s, ratio ${(best.polyhead / best.torch).toFixed(2)}x`);
  for (const threads of [1, 2]) await inferenceLatency(params, threads);
}

await main();
