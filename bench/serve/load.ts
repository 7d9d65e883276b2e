/**
 * The serve bench's code path, shared with its smoke test: servers started as child processes (as a
 * user starts `polyhead serve`), request bodies for each protocol built from a CSV's rows, and one
 * bounded autocannon run that reports answered requests/s, latency, errors and the server's CPU time
 * per request (read from /proc, all its threads and its main thread alone: figures other work on the
 * machine skews less than requests/s, and the main thread is the one a request cannot leave).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { parse } from 'csv-parse/sync';
import { PACKAGE_ROOT } from '../../src/version.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

/** The bench's models: the product's default network (one epoch), or multi-task boosted trees. */
export type BenchArch = 'network' | 'gbdt';

/** The model folder given (an argument that is not a flag), or an Adult model trained into a temporary folder. */
export async function benchModel(given: string | undefined, arch: BenchArch = 'network'): Promise<string> {
  if (given && !given.startsWith('--')) return given;
  const out = join(mkdtempSync(join(tmpdir(), 'polyhead-serve-bench-')), arch === 'gbdt' ? 'adult-gbdt' : 'adult');
  process.stderr.write(`training ${arch === 'gbdt' ? 'boosted trees' : 'a one-epoch network'} on Adult for the bench...\n`);
  const recipe = arch === 'gbdt' ? ['--arch', 'gbdt'] : ['--epochs', '1'];
  const args = [CLI, 'train', join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz'), '--tasks', 'income,marital-status', ...recipe, '--no-baseline', '--out', out];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  await new Promise((done) => child.on('exit', done));
  return out;
}

export const PROTOCOLS = ['v1', 'invocations', 'v2'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  peakRss: number;
}

/** Starts `node ARGS` and resolves once it prints "serving on URL" on stderr. */
export function startServer(name: string, args: string[]): Promise<Server> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    // The server logs a line per request: keep reading, or the pipe fills and stalls it.
    child.stderr!.on('data', (d: Buffer) => {
      if (text.length < 10_000) text += d.toString();
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) resolve({ name, child, url: m[1]!, peakRss: 0 });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${text}`)));
  });
}

export async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((done) => s.child.once('exit', done));
  s.child.kill('SIGTERM');
  await exited;
}

/** utime + stime of a /proc stat file, in ms (the 14th and 15th fields, in clock ticks of 10 ms). */
function cpuMsOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The process's CPU time (all threads, and its main thread, whose task id is the pid) and RSS. */
function procStat(pid: number): { cpuMs: number; mainCpuMs: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { cpuMs: cpuMsOf(`/proc/${pid}/stat`), mainCpuMs: cpuMsOf(`/proc/${pid}/task/${pid}/stat`), rss: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024 };
}

interface InputSpec {
  name: string;
  dtype: 'float32' | 'string';
}

/** The model's raw inputs, from model.json. */
export function modelInputs(model: string): InputSpec[] {
  return (JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { onnx: { inputs: InputSpec[] } }).onnx.inputs;
}

/** The first `n` rows of a CSV (gzipped or not) as {input: value}: numbers as numbers, null when missing. */
export function csvRows(file: string, inputs: readonly InputSpec[], n: number): Array<Record<string, string | number | null>> {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  const records = parse(text, { columns: true, trim: true, to: n + 1 }) as Array<Record<string, string>>;
  return records.slice(0, n).map((r) =>
    Object.fromEntries(inputs.map((i) => [i.name, i.dtype === 'float32' ? (r[i.name] === '' || r[i.name] === '?' ? null : Number(r[i.name])) : r[i.name]!])),
  );
}

/** The route and the JSON body that ask a protocol for predictions on these rows. */
export function request(protocol: Protocol, model: string, inputs: readonly InputSpec[], rows: ReadonlyArray<Record<string, unknown>>): { path: string; body: string } {
  if (protocol === 'v1') return { path: '/v1/predict', body: JSON.stringify({ rows }) };
  if (protocol === 'invocations') {
    const columns = inputs.map((i) => i.name);
    return { path: '/invocations', body: JSON.stringify({ dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) } }) };
  }
  const tensors = inputs.map((i) => ({ name: i.name, shape: [rows.length, 1], datatype: i.dtype === 'float32' ? 'FP32' : 'BYTES', data: rows.map((r) => r[i.name]) }));
  return { path: `/v2/models/${basename(model)}/infer`, body: JSON.stringify({ inputs: tensors }) };
}

export interface LoadResult {
  /** Answered (2xx) requests per second: a fast 503 is not a prediction. */
  okPerSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** The server's CPU time (every thread) per answered request, in µs. */
  cpuUsPerRequest: number;
  /** The part of it on the main thread (the event loop: HTTP, JSON, decoding, answers), in µs. */
  mainCpuUsPerRequest: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  maxRequests: number;
}

export async function runLoad(server: Server, path: string, body: string, options: LoadOptions): Promise<LoadResult> {
  const before = procStat(server.child.pid!);
  const r = await autocannon({
    url: `${server.url}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: options.connections,
    duration: options.seconds,
    maxOverallRequests: options.maxRequests,
    timeout: 10,
  });
  const after = procStat(server.child.pid!);
  server.peakRss = Math.max(server.peakRss, after.rss);
  const ok = r['2xx'];
  return {
    okPerSecond: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuUsPerRequest: ok > 0 ? ((after.cpuMs - before.cpuMs) * 1000) / ok : NaN,
    mainCpuUsPerRequest: ok > 0 ? ((after.mainCpuMs - before.mainCpuMs) * 1000) / ok : NaN,
  };
}
