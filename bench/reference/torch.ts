/**
 * PyTorch reference runs for the benches. The project never depends on Python: when PyTorch is
 * missing and cannot be installed, the bench prints why and skips the comparison.
 *
 * The interpreter is the first of $POLYHEAD_PYTHON, `python3` on PATH and /usr/bin/python3 that
 * can `import torch` (Debian's python3-torch lands in /usr/bin/python3, which a pyenv or venv
 * `python3` on PATH does not see).
 * Run directly: node dist/bench/reference/torch.js [--rows N] [--epochs E]
 */
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
}

export interface EnsureTorchOptions {
  /** Where messages go (default: console.error, so stdout stays machine-readable). */
  log?: (line: string) => void;
  /** Try `apt-get install python3-torch` when torch is missing (default true; root only). */
  install?: boolean;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: null, stdout, stderr: stderr + String(e) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tail = (text: string, lines = 5): string => text.trim().split('\n').slice(-lines).join('\n');

/** The folder holding package.json, found by walking up from this (compiled) file. */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function torchScriptPath(): string {
  return join(projectRoot(), 'bench', 'reference', 'torch_mtl.py');
}

let found: string | undefined;

/** The first Python interpreter that can import torch, or null. A hit is remembered. */
export async function findTorchPython(): Promise<string | null> {
  if (found !== undefined) return found;
  const candidates = [process.env.POLYHEAD_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if ((await run(candidate, ['-c', 'import torch'], 120_000)).code === 0) return (found = candidate);
  }
  return null;
}

/**
 * True when some python3 can import torch. Otherwise, when running as root, tries
 * `apt-get update && apt-get install -y python3-torch` non-interactively (output captured and shown
 * only on failure); returns false with a message saying why the PyTorch comparison is skipped.
 */
export async function ensureTorch(options: EnsureTorchOptions = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.error(line));
  if ((await findTorchPython()) !== null) return ensureTunedBlas(options.install !== false, log);
  const skip = (why: string): false => {
    log(`pytorch reference skipped: ${why}`);
    return false;
  };
  if (options.install === false) return skip('no python3 can import torch and installing is turned off');
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return skip('no python3 can import torch, and installing python3-torch with apt-get needs root');
  }
  if ((await run('apt-get', ['--version'], 30_000)).code !== 0) {
    return skip('no python3 can import torch, and apt-get is not available to install python3-torch');
  }
  log('pytorch not found: installing python3-torch with apt-get (a few minutes)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], 600_000, env);
  if (update.code !== 0) return skip(`apt-get update failed:\n${tail(update.stdout + update.stderr)}`);
  const install = await run('apt-get', ['install', '-y', '--no-install-recommends', 'python3-torch'], 1_200_000, env);
  if (install.code !== 0) return skip(`apt-get install python3-torch failed:\n${tail(install.stdout + install.stderr)}`);
  if ((await findTorchPython()) === null) return skip('python3-torch installed, yet no python3 can import torch');
  return ensureTunedBlas(true, log);
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
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = await run('apt-get', ['install', '-y', '--no-install-recommends', 'libopenblas0-pthread'], 600_000, env);
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
  const py = await findTorchPython();
  if (py === null) {
    log('pytorch reference skipped: no python3 can import torch');
    return null;
  }
  const blasThreads = args.blasThreads ?? args.threads;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(args.threads) };
  const r = await run(py, [torchScriptPath(), ...scriptArgs(args)], args.timeoutMs ?? 600_000, env);
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (r.code !== 0 || line === undefined) {
    log(`pytorch reference failed (exit ${r.code}):\n${tail(r.stderr || r.stdout)}`);
    return null;
  }
  const j = JSON.parse(line) as Record<string, unknown>;
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

/** How a PyTorch figure was obtained, e.g. `pytorch 251140 samples/s (1 intra-op + 2 BLAS threads)`. */
export function describeTorch(r: TorchReferenceResult): string {
  return `pytorch ${r.samplesPerSecond.toFixed(0)} samples/s (${r.threads} intra-op + ${r.blasThreads} BLAS thread${r.blasThreads > 1 ? 's' : ''})`;
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
