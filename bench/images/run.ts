/**
 * Image bench (issue 14): the four-head card CNN (shared-bottom over small-cnn at 48 × 48: three conv
 * blocks of 16, 32 and 64 filters with group norm and max pooling, global average pooling, a 64-wide
 * shared layer, heads of 2, 4, 2 and 2 classes) trained on the same batches of random images by
 * polyhead and, in the same run, by PyTorch (bench/images/torch_cnn.py, the same layers and batch).
 * Each side runs at its best thread count (1 or 2; PyTorch also with OpenBLAS at 1 or 2 threads, in
 * the reference environment of bench/reference/process.ts, OPENBLAS overrides unset); the table gives
 * samples/s (wall and per CPU-second) and the ratio polyhead / PyTorch.
 * Run: npm run build && node dist/bench/images/run.js [--rows 512] [--epochs 2] [--batch 64] [--no-reference]
 */
import { exitOnHelp } from '../usage.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { getArchitecture, type ArchOptions } from '../../src/arch/index.js';
import type { Tensor } from '../../src/graph/index.js';
import type { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { softmaxCrossEntropy } from '../../src/nn/losses.js';
import { makeTensor, type RuntimeTensor } from '../../src/runtime/session.js';
import { adam } from '../../src/train/optimizers/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { describeBlas, findPython, referenceEnv, referenceResult, runProcess, type BlasReport } from '../reference/process.js';
import { ensureTorch } from '../reference/torch.js';

exitOnHelp(import.meta.url);

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 512);
const EPOCHS = arg('epochs', 2);
const BATCH = arg('batch', 64);
const SIDE = 48;
const CLASSES = [2, 4, 2, 2];
const REFERENCE = !process.argv.includes('--no-reference');
const OPTIONS: ArchOptions = { hidden: [64], towerHidden: [], dropout: 0, layerNorm: false, activation: 'relu', experts: 1, sharedExperts: 1, taskExperts: 1, levels: 1, imageTrunk: 'small-cnn' };
const PIXELS = 3 * SIDE * SIDE;

interface Throughput {
  samplesPerSecond: number;
  samplesPerCpuSecond: number;
  threads: string;
  parameters: number;
}

function losses(ctx: BuildContext): Tensor[] {
  const g = ctx.graph;
  const image = { name: 'card', height: SIDE, width: SIDE, tensor: g.input('image:card', 'float32', ['batch', 3, SIDE, SIDE]) };
  const heads = CLASSES.map((outputs, t) => ({ name: `t${t}`, outputs }));
  const logits = getArchitecture('shared-bottom').build(ctx, { numeric: null, categorical: null, fields: [], images: [image] }, heads, OPTIONS);
  return logits.map((l, t) => softmaxCrossEntropy(l, g.input(`y${t}`, 'int64', ['batch'])));
}

function data(rows: number): { x: Float32Array; y: BigInt64Array[] } {
  const r = new Random(0);
  return { x: Float32Array.from({ length: rows * PIXELS }, () => r.normal()), y: CLASSES.map((k) => BigInt64Array.from({ length: rows }, () => BigInt(r.int(k)))) };
}

async function polyhead(threads: number): Promise<Throughput> {
  const spec = { optimizer: adam(), build: losses };
  const layout = paramLayout(spec.build);
  const t = await Trainable.create(spec, initParams(layout.defs, new Random(0)), { threads });
  const d = data(ROWS);
  const weights = new Float32Array(CLASSES.length).fill(1);
  const feeds = (s: number): Record<string, RuntimeTensor> => ({
    'image:card': makeTensor('float32', d.x.subarray(s * PIXELS, (s + BATCH) * PIXELS), [BATCH, 3, SIDE, SIDE]),
    ...Object.fromEntries(d.y.map((y, k) => [`y${k}`, makeTensor('int64', y.subarray(s, s + BATCH), [BATCH])])),
  });
  const epoch = async () => {
    for (let s = 0; s + BATCH <= ROWS; s += BATCH) await t.run(feeds(s), 1e-3, weights);
  };
  await epoch();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let e = 0; e < EPOCHS; e++) await epoch();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await t.release();
  const samples = EPOCHS * Math.floor(ROWS / BATCH) * BATCH;
  return { samplesPerSecond: samples / seconds, samplesPerCpuSecond: samples / ((cpu.user + cpu.system) / 1e6), threads: `${threads}`, parameters: layout.total };
}

async function pytorch(intraOp: number, blas: number): Promise<(Throughput & { blas: BlasReport }) | null> {
  const py = await findPython(['torch', 'threadpoolctl']);
  if (py === null) return null;
  const script = join(PACKAGE_ROOT, 'bench', 'images', 'torch_cnn.py');
  const args = [script, '--threads', String(intraOp), '--rows', String(ROWS), '--epochs', String(EPOCHS), '--batch', String(BATCH), '--side', String(SIDE)];
  const j = referenceResult('pytorch cnn', await runProcess(py, args, 900_000, referenceEnv({ intraOp, blas })), (l) => console.error(l));
  if (j === null) return null;
  return { samplesPerSecond: Number(j.samples_per_s), samplesPerCpuSecond: Number(j.samples_per_cpu_s), threads: `${intraOp} intra-op + ${blas} BLAS`, parameters: Number(j.parameters), blas: j.blas as BlasReport };
}

const best = <T extends Throughput>(runs: T[]): T => runs.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));

async function main(): Promise<void> {
  console.log(`image bench: ${ROWS} random ${SIDE}x${SIDE} images, batch ${BATCH}, ${EPOCHS} timed epochs after one warm-up; load average ${loadavg()[0]!.toFixed(2)}`);
  const ours = best([await polyhead(1), await polyhead(2)]);
  const rows = [['polyhead', ours.samplesPerSecond.toFixed(1), ours.samplesPerCpuSecond.toFixed(1), ours.threads, String(ours.parameters), 'onnxruntime']];
  let ratio = '';
  if (REFERENCE && (await ensureTorch())) {
    const runs = [await pytorch(1, 1), await pytorch(2, 1), await pytorch(1, 2)].filter((r): r is NonNullable<typeof r> => r !== null);
    if (runs.length > 0) {
      const ref = best(runs);
      rows.push(['pytorch', ref.samplesPerSecond.toFixed(1), ref.samplesPerCpuSecond.toFixed(1), ref.threads, String(ref.parameters), describeBlas(ref.blas)]);
      ratio = `polyhead / pytorch: ${(ours.samplesPerSecond / ref.samplesPerSecond).toFixed(2)}x samples/s, ${(ours.samplesPerCpuSecond / ref.samplesPerCpuSecond).toFixed(2)}x samples per CPU-second`;
    }
  }
  const header = ['engine', 'samples/s', 'samples/cpu-s', 'best threads', 'parameters', 'kernels'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(r.map((v, c) => v.padEnd(widths[c]!)).join('  '));
  if (ratio) console.log(ratio);
  console.log(`load average after: ${loadavg()[0]!.toFixed(2)}`);
}

await main();
