/**
 * One polyhead GBDT run of the trees bench, in its own process: train on the folder's rows, write
 * the test probabilities, then time the exported trees in onnxruntime. Prints one JSON line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FragmentBuilder } from '../../src/features/onnx-builder.js';
import { encodeModel, makeValueInfo } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';
import { parseGbdtOptions, predictProbabilities, trainEnsemble, type TreeEnsemble, type TreeInputs } from '../../src/trees/index.js';
import { ensembleToOnnx } from '../../src/trees/onnx.js';
import { readBenchData } from './data.js';
import { mainThreadCpu } from './thread-cpu.js';

export interface WorkerResult {
  /** The threads that trained (the learner falls back to 1 on a small table). */
  threads: number;
  seconds: number;
  cpuSeconds: number;
  /** The main thread's CPU seconds (thread-cpu.ts): with workers, the critical path. */
  mainCpuSeconds: number;
  peakRssMB: number;
  bestRound: number;
  rounds: number;
  trees: number;
  onnxBytes: number;
  latency: { rows: number; p50Ms: number; p99Ms: number }[];
}

function exported(ensemble: TreeEnsemble): Uint8Array {
  const b = new FragmentBuilder('');
  const probs = ensembleToOnnx(b, ensemble, 'x');
  const outputs = probs.map((p, t) => makeValueInfo(p, 'float32', ['batch', ensemble.tasks[t]!.type === 'binary' ? 2 : ensemble.tasks[t]!.width]));
  return encodeModel({ name: 'trees', nodes: b.nodes, initializers: b.initializers, inputs: [makeValueInfo('x', 'float32', ['batch', ensemble.features.length])], outputs });
}

function rowMajor(inputs: TreeInputs, rows: number): Float32Array {
  const f = inputs.columns.length;
  const x = new Float32Array(rows * f);
  for (let i = 0; i < rows; i++) for (let j = 0; j < f; j++) x[i * f + j] = inputs.columns[j]![i % inputs.rowCount]!;
  return x;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function latency(bytes: Uint8Array, inputs: TreeInputs, rows: number, runs: number): Promise<{ rows: number; p50Ms: number; p99Ms: number }> {
  const f = inputs.columns.length;
  const model = await CompiledModel.create(bytes, [{ name: 'x', dtype: 'float32', shape: ['batch', f] }], { threads: 1 });
  const feed = { x: makeTensor('float32', rowMajor(inputs, rows), [rows, f]) };
  for (let k = 0; k < 10; k++) await model.run(feed);
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await model.run(feed);
    times.push(performance.now() - t0);
  }
  await model.release();
  times.sort((a, b) => a - b);
  return { rows, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) };
}

/** Trains at `threads`; `runs` 0: no latency runs (the trees of every thread count are the same). */
export async function runWorker(dir: string, mode: 'shared' | 'per-task', threads: number, runs: number): Promise<void> {
  const { meta, tasks, splits } = readBenchData(dir);
  const options = parseGbdtOptions({ ...meta.settings, mode, threads });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const result = trainEnsemble(splits.train, splits.valid, tasks, options);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mainCpuSeconds = mainThreadCpu() - main0;
  predictProbabilities(result.ensemble, splits.test.inputs).forEach((p, t) => writeFileSync(join(dir, `p.${t}.f32`), new Uint8Array(p.buffer, p.byteOffset, p.byteLength)));
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const bytes = exported(result.ensemble);
  const out: WorkerResult = {
    threads: result.threads,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainCpuSeconds,
    peakRssMB,
    bestRound: result.bestRound,
    rounds: result.history.length,
    trees: result.ensemble.trees.length,
    onnxBytes: bytes.length,
    latency: runs > 0 ? [await latency(bytes, splits.test.inputs, 1, runs), await latency(bytes, splits.test.inputs, 1024, Math.max(10, Math.floor(runs / 4)))] : [],
  };
  console.log(JSON.stringify(out));
}
