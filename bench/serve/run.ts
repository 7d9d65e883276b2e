/**
 * Serving load on loopback: autocannon against `polyhead serve` (micro-batching on and off) and a
 * bare fastify route (the ceiling), POST /v1/predict with 1-row and 100-row bodies at 1, 16 and 64
 * connections. Each run is bounded in time (--seconds) and count (--max-requests). Prints
 * requests/s, p50/p99 latency, errors and each server's peak RSS, labelled with the load average,
 * since other work on the same cores skews every figure.
 * Run: node dist/bench/serve/run.js [MODEL] [--seconds 3] [--max-requests 200000] [--connections 1,16,64] [--rounds 1]
 *      With --rounds N every setting runs N times, interleaved, and the best round is printed: on a
 *      shared machine the other work only ever slows a run down.
 *      (without MODEL it trains a one-epoch Adult model into a temporary folder)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { parse } from 'csv-parse/sync';
import { PACKAGE_ROOT } from '../../src/version.js';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(flag('seconds') ?? 3);
const MAX_REQUESTS = Number(flag('max-requests') ?? 200_000);
const CONNECTIONS = (flag('connections') ?? '1,16,64').split(',').map(Number);
const ROUNDS = Number(flag('rounds') ?? 1);
const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  peakRss: number;
}

function start(name: string, args: string[]): Promise<Server> {
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

function rssOf(s: Server): number {
  const status = readFileSync(`/proc/${s.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

async function modelDir(): Promise<string> {
  const given = process.argv[2];
  if (given && !given.startsWith('--')) return given;
  const out = join(mkdtempSync(join(tmpdir(), 'polyhead-serve-bench-')), 'adult');
  process.stderr.write('training a one-epoch Adult model for the bench...\n');
  const child = spawn(process.execPath, [CLI, 'train', join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz'), '--tasks', 'income,marital-status', '--epochs', '1', '--no-baseline', '--out', out], { stdio: 'inherit' });
  await new Promise((done) => child.on('exit', done));
  return out;
}

/** The first `n` test rows as {column: value}, numbers as numbers (null when missing). */
function rowsOf(model: string, n: number): Array<Record<string, unknown>> {
  const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { onnx: { inputs: Array<{ name: string; dtype: string }> } };
  const records = parse(gunzipSync(readFileSync(join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz'))), { columns: true, trim: true, to: n + 1 }) as Array<Record<string, string>>;
  return records.slice(0, n).map((r) => Object.fromEntries(meta.onnx.inputs.map((i) => [i.name, i.dtype === 'float32' ? (r[i.name] === '' || r[i.name] === '?' ? null : Number(r[i.name])) : r[i.name]])));
}

async function main(): Promise<void> {
  const model = await modelDir();
  const bodies = new Map([1, 100].map((n) => [n, JSON.stringify({ rows: rowsOf(model, n) })]));
  const servers = [
    await start('bare fastify', [join(PACKAGE_ROOT, 'dist', 'bench', 'serve', 'bare.js')]),
    await start('polyhead batched', [CLI, 'serve', model, '--port', '0']),
    await start('polyhead unbatched', [CLI, 'serve', model, '--port', '0', '--no-batching']),
  ];
  console.log(`serve bench: POST /v1/predict on loopback, ${SECONDS} s per run (at most ${MAX_REQUESTS} requests), best of ${ROUNDS} round(s); load average before: ${load()}`);
  console.log('| server | rows/request | connections | 2xx requests/s | rows/s | p50 ms | p99 ms | errors | load (1 5 15 min) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const rps = new Map<string, number>();
  const rows: Array<{ key: string; line: (ok: number) => string }> = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [count, body] of bodies) {
        for (const connections of CONNECTIONS) {
          for (const s of servers) {
            const r = await autocannon({ url: `${s.url}/v1/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: SECONDS, maxOverallRequests: MAX_REQUESTS, timeout: 10 });
            s.peakRss = Math.max(s.peakRss, rssOf(s));
            // Only answered requests count: a fast 503 is not a prediction.
            const ok = r['2xx'] / r.duration;
            const key = `${s.name}/${count}/${connections}`;
            if (ok < (rps.get(key) ?? -1)) continue;
            rps.set(key, ok);
            const errors = r.errors + r.timeouts + r.non2xx;
            const at = load();
            const line = (v: number): string => `| ${s.name} | ${count} | ${connections} | ${v.toFixed(0)} | ${(v * count).toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${errors} | ${at} |`;
            const existing = rows.find((x) => x.key === key);
            if (existing) existing.line = line;
            else rows.push({ key, line });
          }
        }
      }
    }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
  for (const r of rows) console.log(r.line(rps.get(r.key)!));
  console.log('');
  for (const s of servers) console.log(`peak RSS ${s.name}: ${(s.peakRss / 2 ** 20).toFixed(0)} MiB`);
  const top = Math.max(...CONNECTIONS);
  const ratio = (a: string, b: string): string => ((rps.get(a)! / rps.get(b)!) * 100).toFixed(0);
  console.log(`1-row at ${top} connections: polyhead batched = ${ratio(`polyhead batched/1/${top}`, `bare fastify/1/${top}`)}% of the bare route's requests/s (target ≥ 50%)`);
  for (const c of CONNECTIONS) console.log(`micro-batching gain, 1-row at ${c} connections: batched / unbatched = ${(rps.get(`polyhead batched/1/${c}`)! / rps.get(`polyhead unbatched/1/${c}`)!).toFixed(2)}×`);
  console.log(`load average after: ${load()}`);
}

await main();
