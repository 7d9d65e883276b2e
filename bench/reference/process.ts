/**
 * How every reference process (PyTorch, scikit-learn) is found, installed and started. One place,
 * so that each reference runs the way its own users would run it on this machine, and says which
 * BLAS kernel it ran.
 *
 * The interpreter is the first of $POLYHEAD_PYTHON, `python3` on PATH and /usr/bin/python3 that can
 * import what a reference needs (Debian's python3-* packages land in /usr/bin/python3, which a pyenv
 * or venv `python3` on PATH does not see). The project never depends on Python: when a module is
 * missing and cannot be installed, the bench prints why and skips that comparison.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runProcess(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
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

export const tail = (text: string, lines = 5): string => text.trim().split('\n').slice(-lines).join('\n');

export function referenceScript(name: string): string {
  return join(PACKAGE_ROOT, 'bench', 'reference', name);
}

/**
 * Variables some machines set for old OpenBLAS builds. In a reference process they pin Debian's
 * OpenBLAS to the kernels they name (Haswell, AVX2) on a CPU with AVX-512, where OpenBLAS's own
 * detection picks SkylakeX: PyTorch on the engine bench measured ~330k samples/s pinned against
 * ~410k unpinned. A reference is measured at its best, so they are removed there, and only there.
 */
export const BLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

export interface ReferenceThreads {
  /** The framework's own threads (torch.set_num_threads, OpenMP). */
  intraOp: number;
  /** Threads OpenBLAS may use: a pool of its own, not shared with the intra-op one. */
  blas: number;
}

/** The environment of every reference process: this one's, less the OpenBLAS overrides, with its thread counts. */
export function referenceEnv(threads: ReferenceThreads, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, OPENBLAS_NUM_THREADS: String(threads.blas), OMP_NUM_THREADS: String(threads.intraOp) };
  for (const name of BLAS_OVERRIDES) delete env[name];
  return env;
}

/** What a reference needs from Python: modules to import and the Debian packages that provide them. */
export interface PythonNeeds {
  /** Says what is skipped when they are missing, e.g. `pytorch reference`. */
  what: string;
  modules: string[];
  aptPackages: string[];
}

const found = new Map<string, string>();

/** The first interpreter that can import every module, or null. A hit is remembered. */
export async function findPython(modules: string[]): Promise<string | null> {
  const key = modules.join(',');
  const hit = found.get(key);
  if (hit !== undefined) return hit;
  const candidates = [process.env.POLYHEAD_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if ((await runProcess(candidate, ['-c', `import ${key}`], 120_000)).code === 0) {
      found.set(key, candidate);
      return candidate;
    }
  }
  return null;
}

export interface EnsureOptions {
  /** Where messages go (default: console.error, so stdout stays machine-readable). */
  log?: (line: string) => void;
  /** Try `apt-get install` when a module is missing (default true; root only). */
  install?: boolean;
}

export const aptEnv = (): NodeJS.ProcessEnv => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });

/**
 * The interpreter for a reference, installing its Debian packages when missing (as root, with
 * `apt-get update` first; output shown only on failure); null with a message saying why the
 * comparison is skipped.
 */
export async function ensurePython(needs: PythonNeeds, options: EnsureOptions = {}): Promise<string | null> {
  const log = options.log ?? ((line: string) => console.error(line));
  const py = await findPython(needs.modules);
  if (py !== null) return py;
  const missing = `no python3 can import ${needs.modules.join(', ')}`;
  const skip = (why: string): null => {
    log(`${needs.what} skipped: ${why}`);
    return null;
  };
  const packages = needs.aptPackages.join(' ');
  if (options.install === false) return skip(`${missing} and installing is turned off`);
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return skip(`${missing}, and installing ${packages} with apt-get needs root`);
  if ((await runProcess('apt-get', ['--version'], 30_000)).code !== 0) return skip(`${missing}, and apt-get is not available to install ${packages}`);
  log(`${missing}: installing ${packages} with apt-get (a few minutes)…`);
  const update = await runProcess('apt-get', ['update'], 600_000, aptEnv());
  if (update.code !== 0) return skip(`apt-get update failed:\n${tail(update.stdout + update.stderr)}`);
  const install = await runProcess('apt-get', ['install', '-y', '--no-install-recommends', ...needs.aptPackages], 1_200_000, aptEnv());
  if (install.code !== 0) return skip(`apt-get install ${packages} failed:\n${tail(install.stdout + install.stderr)}`);
  return (await findPython(needs.modules)) ?? skip(`${packages} installed, yet ${missing}`);
}

/** A BLAS library loaded in a reference process, as bench/reference/blas_kernel.py reports it. */
export interface BlasLibrary {
  library: string;
  version: string | null;
  /** The kernel set it runs, e.g. SkylakeX or Haswell for OpenBLAS; null when the library does not say. */
  kernel: string | null;
  threads: number;
  path: string;
}

/** `blas` of a reference's JSON line: the libraries, or why they could not be listed. */
export type BlasReport = BlasLibrary[] | { error: string };

/** E.g. `OpenBLAS 0.3.21 SkylakeX kernel`. */
export function describeBlas(report: BlasReport): string {
  if (!Array.isArray(report)) return `BLAS kernel unknown: ${report.error}`;
  if (report.length === 0) return 'no BLAS library loaded';
  const name = (l: BlasLibrary): string => (l.library === 'openblas' ? 'OpenBLAS' : l.library === 'mkl' ? 'MKL' : l.library);
  return report.map((l) => [name(l), l.version, l.kernel && `${l.kernel} kernel`].filter(Boolean).join(' ')).join(' + ');
}

/** The last JSON line of a reference's stdout, or null with a message when it failed. */
export function referenceResult(what: string, r: ProcessRun, log: (line: string) => void): Record<string, unknown> | null {
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (r.code === 0 && line !== undefined) return JSON.parse(line) as Record<string, unknown>;
  log(`${what} failed (exit ${r.code}):\n${tail(r.stderr || r.stdout)}`);
  return null;
}
