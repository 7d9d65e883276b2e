/**
 * Serving load on loopback: autocannon against `polyhead serve` (micro-batching on and off) and bare
 * fastify routes at the same paths (the ceiling), all three up for the whole run. POST /v1/predict
 * with 1-row and 100-row bodies at 1, 16 and 64 connections; and 1-row bodies at the most connections
 * on the other two protocols (/invocations with dataframe_split, /v2/models/NAME/infer), each against
 * the bare route at its path. Each run is bounded in time (--seconds) and count (--max-requests).
 * Prints requests/s, p50/p99 latency, errors, the server's CPU µs per request (all threads, and the
 * main thread's part: the rest is the model's worker and V8's helper threads), each server's peak
 * RSS, and the ratios to the bare route from the same run, labelled with the load average, since
 * other work on the same cores skews every figure.
 * Run: node dist/bench/serve/run.js [MODEL] [--seconds 3] [--max-requests 200000] [--connections 1,16,64] [--rounds 1] [--rows CSV]
 *      With --rounds N every setting runs N times, interleaved, and the best round is printed: on a
 *      shared machine the other work only ever slows a run down.
 *      (without MODEL it trains a one-epoch Adult network into a temporary folder, and boosted trees
 *      on Adult for an extra row, 1-row requests at the most connections: the same server with a
 *      cheaper model; the request rows are the first of --rows, by default the bundled Adult test file)
 */
import { exitOnHelp } from '../usage.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { benchModel, CLI, csvRows, modelInputs, request, runLoad, startServer, stopServer, type LoadResult, type Protocol, type Server } from './load.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(flag('seconds') ?? 3);
const MAX_REQUESTS = Number(flag('max-requests') ?? 200_000);
const CONNECTIONS = (flag('connections') ?? '1,16,64').split(',').map(Number);
const ROUNDS = Number(flag('rounds') ?? 1);
const TOP = Math.max(...CONNECTIONS);
const WARM_UP_REQUESTS = 2000;
const ROWS_CSV = flag('rows') ?? join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Setting {
  protocol: Protocol;
  server: Server;
  rows: number;
  connections: number;
}

const keyOf = (s: { protocol: Protocol; server: { name: string }; rows: number; connections: number }): string => `${s.protocol}/${s.server.name}/${s.rows}/${s.connections}`;

async function main(): Promise<void> {
  const ownModel = process.argv[2] !== undefined && !process.argv[2].startsWith('--');
  const model = await benchModel(process.argv[2]);
  const inputs = modelInputs(model);
  const bodies = new Map([1, 100].map((n) => [n, csvRows(ROWS_CSV, inputs, n)]));
  const bare = await startServer('bare fastify', [join(PACKAGE_ROOT, 'dist', 'bench', 'serve', 'bare.js')]);
  const batched = await startServer('polyhead batched', [CLI, 'serve', model, '--port', '0']);
  const unbatched = await startServer('polyhead unbatched', [CLI, 'serve', model, '--port', '0', '--no-batching']);
  // Extra information beside the target (which is the network's): the same server with a model as cheap as trees, on the bench's own Adult rows.
  const trees = ownModel ? undefined : await startServer('polyhead batched, gbdt', [CLI, 'serve', await benchModel(undefined, 'gbdt'), '--port', '0']);
  const servers = [bare, batched, unbatched, ...(trees ? [trees] : [])];
  const settings: Setting[] = [];
  for (const rows of bodies.keys()) for (const connections of CONNECTIONS) for (const server of [bare, batched, unbatched]) settings.push({ protocol: 'v1', server, rows, connections });
  for (const protocol of ['invocations', 'v2'] as const) for (const server of [bare, batched]) settings.push({ protocol, server, rows: 1, connections: TOP });
  if (trees) settings.push({ protocol: 'v1', server: trees, rows: 1, connections: TOP });

  console.log(`serve bench on loopback, ${SECONDS} s per run (at most ${MAX_REQUESTS} requests), best of ${ROUNDS} round(s); load average before: ${load()}`);
  console.log('protocols: v1 = POST /v1/predict {"rows": [...]}; invocations = POST /invocations {"dataframe_split": ...}; v2 = POST /v2/models/NAME/infer (one tensor per column)');
  const best = new Map<string, LoadResult & { load: string }>();
  try {
    // JIT warm-up: the first setting would otherwise pay for every server's compilation.
    for (const s of settings.filter((x) => x.connections === TOP)) {
      const { path, body } = request(s.protocol, model, inputs, bodies.get(s.rows)!);
      await runLoad(s.server, path, body, { connections: TOP, seconds: SECONDS, maxRequests: Math.min(WARM_UP_REQUESTS, MAX_REQUESTS) });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of settings) {
        const { path, body } = request(s.protocol, model, inputs, bodies.get(s.rows)!);
        const r = await runLoad(s.server, path, body, { connections: s.connections, seconds: SECONDS, maxRequests: MAX_REQUESTS });
        const key = keyOf(s);
        if (r.okPerSecond >= (best.get(key)?.okPerSecond ?? -1)) best.set(key, { ...r, load: load() });
      }
    }
  } finally {
    for (const s of servers) await stopServer(s);
  }
  console.log('| protocol | server | rows/request | connections | 2xx requests/s | rows/s | p50 ms | p99 ms | errors | server CPU µs/request | of it, main thread | load (1 5 15 min) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of settings) {
    const r = best.get(keyOf(s))!;
    console.log(
      `| ${s.protocol} | ${s.server.name} | ${s.rows} | ${s.connections} | ${r.okPerSecond.toFixed(0)} | ${(r.okPerSecond * s.rows).toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuUsPerRequest.toFixed(1)} | ${r.mainCpuUsPerRequest.toFixed(1)} | ${r.load} |`,
    );
  }
  console.log('');
  for (const s of servers) console.log(`peak RSS ${s.name}: ${(s.peakRss / 2 ** 20).toFixed(0)} MiB`);
  const get = (protocol: Protocol, server: Server, rows: number, connections: number): LoadResult => best.get(keyOf({ protocol, server, rows, connections }))!;
  for (const protocol of ['v1', 'invocations', 'v2'] as const) {
    const ours = get(protocol, batched, 1, TOP);
    const ceiling = get(protocol, bare, 1, TOP);
    console.log(
      `${protocol}, 1-row at ${TOP} connections: polyhead batched = ${((ours.okPerSecond / ceiling.okPerSecond) * 100).toFixed(0)}% of the bare route's requests/s in this run (target ≥ 50%), ${ours.errors} errors; server CPU per request ${(ours.cpuUsPerRequest / ceiling.cpuUsPerRequest).toFixed(2)}× the bare route's`,
    );
  }
  if (trees) {
    const r = get('v1', trees, 1, TOP);
    console.log(`v1, 1-row at ${TOP} connections, gbdt model (extra information): ${((r.okPerSecond / get('v1', bare, 1, TOP).okPerSecond) * 100).toFixed(0)}% of the bare route's requests/s, ${r.errors} errors`);
  }
  for (const c of CONNECTIONS) {
    console.log(`micro-batching gain, v1 1-row at ${c} connections: batched / unbatched = ${(get('v1', batched, 1, c).okPerSecond / get('v1', unbatched, 1, c).okPerSecond).toFixed(2)}× requests/s`);
  }
  console.log(`load average after: ${load()}`);
}

await main();
