/**
 * PyTorch reference runs for the benches, in the process environment every reference gets
 * (./process.ts): the OpenBLAS overrides removed, so PyTorch runs the kernels OpenBLAS picks for this
 * CPU, and each result names them.
 * Run directly: node dist/bench/reference/torch.js [--rows N] [--epochs E]
 */
import { existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  aptEnv, describeBlas, ensurePython, findPython, referenceEnv, referenceResult, referenceScript, runProcess, tail,
  type BlasReport, type EnsureOptions,
} from './process.js';

export interface TorchReferenceArgs {
  arch: 'shared-bottom' | 'mmoe';
  threads: number;
  batch?: number;
  rows?: number;
  /** Timed epochs, after one untimed warm-up epoch. */
  epochs?: number;
  inputs?: number;
  hidden?: number[];
  tasks?: number;
  classes?: number;
  /** MMoE only. */
  experts?: number;
  /** MMoE only: experts as a module list (LibMTL's way, default) or stacked into batched matmuls. */
  expertsImpl?: 'loop' | 'batched';
  seed?: number;
  /** Kill the run after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Train on PREFIX.x.f32 / PREFIX.y.i64 (raw rows × inputs float32, rows × tasks int64) instead of the script's own draw. */
  data?: string;
  /** Threads OpenBLAS may use (OPENBLAS_NUM_THREADS); default: the same as `threads`. */
  blasThreads?: number;
}

export interface TorchReferenceResult {
  samplesPerSecond: number;
  threads: number;
  arch: string;
  batch: number;
  finalLoss: number;
  rows: number;
  epochs: number;
  seconds: number;
  parameters: number;
  torchVersion: string;
  python: string;
  blasThreads: number;
  /** The BLAS libraries the run loaded, with their kernels. */
  blas: BlasReport;
}

/** threadpoolctl names the BLAS kernel each run used. */
const TORCH = { what: 'pytorch reference', modules: ['torch', 'threadpoolctl'], aptPackages: ['python3-torch', 'python3-threadpoolctl'] };

/** True when some python3 can run the PyTorch reference, installing it (and a tuned BLAS) when missing and root. */
export async function ensureTorch(options: EnsureOptions = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.error(line));
  if ((await ensurePython(TORCH, { ...options, log })) === null) return false;
  return ensureTunedBlas(options.install !== false, log);
}

const SYSTEM_BLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';

/**
 * Debian's python3-torch does its matrix products through the system libblas.so.3, which is the
 * netlib reference BLAS unless a tuned one is installed: PyTorch then runs ~8x slower than it does for
 * anyone who installed it from a wheel (measured: 22k vs 178k samples/s on the engine bench). A
 * comparison against that would flatter polyhead, so OpenBLAS is installed when it is missing. Always
 * true: PyTorch still runs on the reference BLAS, with a warning, when OpenBLAS cannot be installed.
 */
async function ensureTunedBlas(install: boolean, log: (line: string) => void): Promise<true> {
  if (!existsSync(SYSTEM_BLAS) || /openblas|blis|mkl|atlas/i.test(realpathSync(SYSTEM_BLAS))) return true;
  const warn = (why: string): true => {
    log(`warning: PyTorch uses the netlib reference BLAS (${realpathSync(SYSTEM_BLAS)}), so its figures are far below a normal install: ${why}`);
    return true;
  };
  if (!install) return warn('installing libopenblas0-pthread is turned off');
  if (process.getuid?.() !== 0) return warn('installing libopenblas0-pthread with apt-get needs root');
  log('PyTorch would use the reference BLAS: installing libopenblas0-pthread with apt-get…');
  const r = await runProcess('apt-get', ['install', '-y', '--no-install-recommends', 'libopenblas0-pthread'], 600_000, aptEnv());
  return r.code === 0 ? true : warn(`apt-get install libopenblas0-pthread failed:\n${tail(r.stdout + r.stderr)}`);
}

function scriptArgs(a: TorchReferenceArgs): string[] {
  const out = ['--arch', a.arch, '--threads', String(a.threads)];
  const opt = (flag: string, value: number | string | undefined): void => {
    if (value !== undefined) out.push(`--${flag}`, String(value));
  };
  opt('batch', a.batch);
  opt('rows', a.rows);
  opt('epochs', a.epochs);
  opt('inputs', a.inputs);
  opt('hidden', a.hidden?.join(','));
  opt('tasks', a.tasks);
  opt('classes', a.classes);
  opt('experts', a.experts);
  opt('experts-impl', a.expertsImpl);
  opt('seed', a.seed);
  opt('data', a.data);
  return out;
}

/**
 * Trains the reference model in PyTorch and returns its throughput, or null (with a message) when
 * no python3 can import torch or the run fails. Call `ensureTorch` first to allow an install.
 */
export async function runTorchReference(
  args: TorchReferenceArgs,
  log: (line: string) => void = (line) => console.error(line),
): Promise<TorchReferenceResult | null> {
  const py = await findPython(TORCH.modules);
  if (py === null) {
    log('pytorch reference skipped: no python3 can import torch and threadpoolctl');
    return null;
  }
  const blasThreads = args.blasThreads ?? args.threads;
  const env = referenceEnv({ intraOp: args.threads, blas: blasThreads });
  const r = await runProcess(py, [referenceScript('torch_mtl.py'), ...scriptArgs(args)], args.timeoutMs ?? 600_000, env);
  const j = referenceResult('pytorch reference', r, log);
  if (j === null) return null;
  return {
    samplesPerSecond: Number(j.samples_per_s),
    threads: Number(j.threads),
    arch: String(j.arch),
    batch: Number(j.batch),
    finalLoss: Number(j.final_loss),
    rows: Number(j.rows),
    epochs: Number(j.epochs),
    seconds: Number(j.seconds),
    parameters: Number(j.parameters),
    torchVersion: String(j.torch),
    python: py,
    blasThreads,
    blas: j.blas as BlasReport,
  };
}

/**
 * PyTorch's fastest run within a budget of `threads` cores: every split between its intra-op threads
 * and OpenBLAS's threads is tried (they do not share a pool, and both at 2 oversubscribe 2 cores:
 * measured 39–48k samples/s against 178–251k for the other splits), and the best one is returned.
 */
export async function runTorchBest(
  args: TorchReferenceArgs,
  log: (line: string) => void = (line) => console.error(line),
): Promise<TorchReferenceResult | null> {
  let best: TorchReferenceResult | null = null;
  for (let intra = 1; intra <= args.threads; intra++) {
    for (let blas = 1; blas <= args.threads; blas++) {
      if (intra > 1 && blas > 1) continue;
      const r = await runTorchReference({ ...args, threads: intra, blasThreads: blas }, log);
      if (r === null) return null;
      if (best === null || r.samplesPerSecond > best.samplesPerSecond) best = r;
    }
  }
  return best;
}

/** How a PyTorch figure was obtained, e.g. `pytorch 251140 samples/s (1 intra-op + 2 BLAS threads, OpenBLAS 0.3.21 SkylakeX kernel)`. */
export function describeTorch(r: TorchReferenceResult): string {
  const threads = `${r.threads} intra-op + ${r.blasThreads} BLAS thread${r.blasThreads > 1 ? 's' : ''}`;
  return `pytorch ${r.samplesPerSecond.toFixed(0)} samples/s (${threads}, ${describeBlas(r.blas)})`;
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  if (!(await ensureTorch())) return;
  for (const arch of ['shared-bottom', 'mmoe'] as const) {
    for (const threads of [1, 2]) {
      const r = await runTorchBest({ arch, threads, rows: arg('rows', 20000), epochs: arg('epochs', 3) });
      if (r) console.log(JSON.stringify(r));
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
