/**
 * Architecture training throughput: MMoE (8 experts) and shared-bottom from src/arch, trained
 * through the compiled step graph, against the same models in PyTorch (bench/reference/torch_mtl.py)
 * on a synthetic table: 64 numeric inputs, 4 tasks × 4 classes, batch 256, Adam (lr 1e-3).
 * One line per setting with the ratio. The machine's load average is printed beside each figure,
 * since other work on the same cores skews both sides.
 * Run: node dist/bench/train/run.js [--rows N] [--epochs E] [--threads 1,2] [--arch mmoe,shared-bottom]
 *      [--torch-impl loop|batched] [--no-reference]   (defaults: 200000 rows, 1 timed epoch after a warm-up)
 */
import { exitOnHelp } from '../usage.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getArchitecture, type ArchOptions } from '../../src/arch/index.js';
import type { BuildContext } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { softmaxCrossEntropy } from '../../src/nn/losses.js';
import { makeTensor, type RuntimeTensor } from '../../src/runtime/session.js';
import { adam } from '../../src/train/optimizers/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';
import { describeTorch, ensureTorch, runTorchBest } from '../reference/torch.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROWS = Number(flag('rows') ?? 200_000);
const EPOCHS = Number(flag('epochs') ?? 1);
const THREADS = (flag('threads') ?? '1,2').split(',').map(Number);
const ARCHS = (flag('arch') ?? 'mmoe,shared-bottom').split(',') as Array<'mmoe' | 'shared-bottom'>;
const TORCH_IMPL = (flag('torch-impl') ?? 'loop') as 'loop' | 'batched';
/** --no-reference: polyhead only (the smoke test runs the bench this way). */
const REFERENCE = !process.argv.includes('--no-reference');
const BATCH = 256;
const INPUTS = 64;
const HIDDEN = [256, 128];
const TASKS = 4;
const CLASSES = 4;
const EXPERTS = 8;

/** Same models as torch_mtl.py: ReLU MLPs, no dropout or norm, a linear head per task (no tower). */
const OPTIONS: ArchOptions = {
  hidden: HIDDEN, towerHidden: [], dropout: 0, layerNorm: false, activation: 'relu',
  experts: EXPERTS, sharedExperts: 1, taskExperts: 1, levels: 1,
};
const TASK_HEADS = Array.from({ length: TASKS }, (_, t) => ({ name: `t${t}`, outputs: CLASSES }));

interface Data {
  x: Float32Array;
  y: BigInt64Array[];
}

/** Related, learnable tasks: each label is the argmax of a noisy read-out of a shared tanh latent. */
function synthetic(rows: number, seed: number): Data {
  const r = new Random(seed);
  const x = Float32Array.from({ length: rows * INPUTS }, () => r.normal());
  const proj = Float32Array.from({ length: INPUTS * 16 }, () => r.normal() / Math.sqrt(INPUTS));
  const reads = Array.from({ length: TASKS }, () => Float32Array.from({ length: 16 * CLASSES }, () => r.normal()));
  const y = reads.map(() => new BigInt64Array(rows));
  const latent = new Float32Array(16);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < 16; k++) {
      let s = 0;
      for (let j = 0; j < INPUTS; j++) s += x[i * INPUTS + j]! * proj[j * 16 + k]!;
      latent[k] = Math.tanh(s);
    }
    reads.forEach((w, t) => {
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < CLASSES; c++) {
        let s = 0.5 * r.normal();
        for (let k = 0; k < 16; k++) s += latent[k]! * w[k * CLASSES + c]!;
        if (s > bestScore) [best, bestScore] = [c, s];
      }
      y[t]![i] = BigInt(best);
    });
  }
  return { x, y };
}

function lossBuild(arch: string) {
  return (ctx: BuildContext) => {
    const g = ctx.graph;
    const logits = getArchitecture(arch).build(ctx, { numeric: g.input('x', 'float32', ['batch', INPUTS]), categorical: null, fields: [] }, TASK_HEADS, OPTIONS);
    return logits.map((l, t) => softmaxCrossEntropy(l, g.input(`y${t}`, 'int64', ['batch'])));
  };
}

/** A shuffled batch gathered in JS, as a data loader would. */
function batchFeeds(d: Data, order: Int32Array, start: number): Record<string, RuntimeTensor> {
  const x = new Float32Array(BATCH * INPUTS);
  const ys = d.y.map(() => new BigInt64Array(BATCH));
  for (let k = 0; k < BATCH; k++) {
    const i = order[start + k]!;
    x.set(d.x.subarray(i * INPUTS, (i + 1) * INPUTS), k * INPUTS);
    ys.forEach((y, t) => (y[k] = d.y[t]![i]!));
  }
  const feeds: Record<string, RuntimeTensor> = { x: makeTensor('float32', x, [BATCH, INPUTS]) };
  ys.forEach((y, t) => (feeds[`y${t}`] = makeTensor('int64', y, [BATCH])));
  return feeds;
}

async function polyhead(arch: string, threads: number, data: Data): Promise<{ samplesPerSecond: number; parameters: number; loss: number }> {
  const spec = { optimizer: adam(), build: lossBuild(arch) };
  const rng = new Random(0);
  const layout = paramLayout(spec.build);
  const t = await Trainable.create(spec, initParams(layout.defs, rng), { threads });
  const weights = new Float32Array(TASKS).fill(1);
  const epoch = async (): Promise<number> => {
    const order = rng.permutation(ROWS);
    let sum = 0;
    let steps = 0;
    for (let s = 0; s + BATCH <= ROWS; s += BATCH, steps++) sum += (await t.run(batchFeeds(data, order, s), 1e-3, weights)).losses.reduce((a, b) => a + b, 0);
    return sum / steps;
  };
  // One untimed warm-up epoch, as the PyTorch script runs, so that the last-epoch losses compare.
  await epoch();
  let loss = NaN;
  const start = performance.now();
  for (let e = 0; e < EPOCHS; e++) loss = await epoch();
  const seconds = (performance.now() - start) / 1000;
  await t.release();
  return { samplesPerSecond: (EPOCHS * Math.floor(ROWS / BATCH) * BATCH) / seconds, parameters: layout.total, loss };
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** The same rows for PyTorch, so that the last-epoch losses of the two sides compare. */
function writeForTorch(d: Data, prefix: string): string {
  writeFileSync(`${prefix}.x.f32`, new Uint8Array(d.x.buffer, d.x.byteOffset, d.x.byteLength));
  const y = new BigInt64Array(ROWS * TASKS);
  for (let i = 0; i < ROWS; i++) for (let t = 0; t < TASKS; t++) y[i * TASKS + t] = d.y[t]![i]!;
  writeFileSync(`${prefix}.y.i64`, new Uint8Array(y.buffer));
  return prefix;
}

async function main(): Promise<void> {
  console.log(
    `train bench: ${INPUTS} inputs → hidden ${HIDDEN.join('→')}, ${TASKS} tasks × ${CLASSES} classes, batch ${BATCH}, Adam, ` +
      `${ROWS} rows × ${EPOCHS} timed epoch(s); pytorch experts: ${TORCH_IMPL}; load average at start ${load()}`,
  );
  const torch = REFERENCE && (await ensureTorch());
  const data = synthetic(ROWS, 1);
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-bench-'));
  const shared = torch ? writeForTorch(data, join(dir, 'table')) : undefined;
  for (const arch of ARCHS) {
    const label = arch === 'mmoe' ? `mmoe(${EXPERTS})` : arch;
    for (const threads of THREADS) {
      const ours = await polyhead(arch, threads, data);
      const ref = torch
        ? await runTorchBest({
            arch, threads, batch: BATCH, rows: ROWS, epochs: EPOCHS, inputs: INPUTS, hidden: HIDDEN, tasks: TASKS, classes: CLASSES,
            experts: EXPERTS, expertsImpl: TORCH_IMPL, timeoutMs: 30 * 60_000, ...(shared ? { data: shared } : {}),
          })
        : null;
      const theirs = ref
        ? `${describeTorch(ref)}, ratio ${(ours.samplesPerSecond / ref.samplesPerSecond).toFixed(2)}x`
        : 'pytorch skipped';
      const check = ` [parameters ${ours.parameters}${ref ? ` vs ${ref.parameters}` : ''}; last-epoch loss ${ours.loss.toFixed(3)}${ref ? ` vs ${ref.finalLoss.toFixed(3)}` : ''}]`;
      console.log(`${label} B=${BATCH} threads=${threads}: polyhead ${ours.samplesPerSecond.toFixed(0)} samples/s, ${theirs}${check} (load ${load()})`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
