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
import { existsSync } from 'node:fs';
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
  if ((await findTorchPython()) !== null) return true;
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
  return true;
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
  const r = await run(py, [torchScriptPath(), ...scriptArgs(args)], args.timeoutMs ?? 600_000);
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
  };
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  if (!(await ensureTorch())) return;
  for (const arch of ['shared-bottom', 'mmoe'] as const) {
    for (const threads of [1, 2]) {
      const r = await runTorchReference({ arch, threads, rows: arg('rows', 20000), epochs: arg('epochs', 3) });
      if (r) console.log(JSON.stringify(r));
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
