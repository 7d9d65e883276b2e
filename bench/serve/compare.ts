/**
 * Two or more builds of `polyhead serve` side by side: each build's server (a checkout's dist/
 * folder) and the bare fastify route up for the whole run, one protocol's 1-row requests at one
 * connection count, the servers taking turns every round. Prints each round's requests/s, the ratio
 * to the bare route in the same round, and the server's CPU µs per request (all threads, and the
 * main thread's part), then the medians: for before/after comparisons on a shared machine, where a
 * single requests/s figure says more about the neighbours than about the change.
 * Run: node dist/bench/serve/compare.js --builds DIST_A,DIST_B[,...] [MODEL] [--protocol v1]
 *      [--connections 64] [--rounds 5] [--seconds 3] [--rows CSV]
 *      (each DIST is a checkout's built dist/ folder, with node_modules beside it; without MODEL it
 *      trains the serve bench's one-epoch Adult network)
 */
import { exitOnHelp } from '../usage.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { benchModel, csvRows, modelInputs, PROTOCOLS, request, runLoad, startServer, stopServer, type LoadResult, type Protocol } from './load.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const BUILDS = (flag('builds') ?? '').split(',').filter(Boolean);
const PROTOCOL = (flag('protocol') ?? 'v1') as Protocol;
const CONNECTIONS = Number(flag('connections') ?? 64);
const ROUNDS = Number(flag('rounds') ?? 5);
const SECONDS = Number(flag('seconds') ?? 3);
const ROWS_CSV = flag('rows') ?? join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const WARM_UP_REQUESTS = 2000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  if (BUILDS.length === 0) throw new Error('give the builds to compare: --builds /path/to/a/dist,/path/to/b/dist');
  if (!PROTOCOLS.includes(PROTOCOL)) throw new Error(`--protocol must be one of ${PROTOCOLS.join(', ')}`);
  const given = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const model = await benchModel(given);
  const inputs = modelInputs(model);
  const { path, body } = request(PROTOCOL, model, inputs, csvRows(ROWS_CSV, inputs, 1));
  const servers = [await startServer('bare fastify', [join(PACKAGE_ROOT, 'dist', 'bench', 'serve', 'bare.js')])];
  for (const dist of BUILDS) servers.push(await startServer(dist, [join(dist, 'src', 'cli', 'main.js'), 'serve', model, '--port', '0']));
  const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
  try {
    for (const s of servers) await runLoad(s, path, body, { connections: CONNECTIONS, seconds: SECONDS, maxRequests: WARM_UP_REQUESTS });
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of servers) results.get(s.name)!.push(await runLoad(s, path, body, { connections: CONNECTIONS, seconds: SECONDS, maxRequests: 10_000_000 }));
    }
  } finally {
    for (const s of servers) await stopServer(s);
  }
  const bare = results.get('bare fastify')!;
  console.log(`${PROTOCOL} ${path}, 1-row requests, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s; load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| server | requests/s per round | % of bare per round | median % | CPU µs/request per round (all threads) | median | of it main thread, median | errors | peak RSS MiB |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of servers) {
    const rs = results.get(s.name)!;
    const ratios = rs.map((r, i) => (100 * r.okPerSecond) / bare[i]!.okPerSecond);
    console.log(
      `| ${s.name} | ${rs.map((r) => r.okPerSecond.toFixed(0)).join(' / ')} | ${ratios.map((x) => x.toFixed(0)).join(' / ')} | ${median(ratios).toFixed(0)} | ${rs.map((r) => r.cpuUsPerRequest.toFixed(1)).join(' / ')} | ${median(rs.map((r) => r.cpuUsPerRequest)).toFixed(1)} | ${median(rs.map((r) => r.mainCpuUsPerRequest)).toFixed(1)} | ${rs.reduce((n, r) => n + r.errors, 0)} | ${(s.peakRss / 2 ** 20).toFixed(0)} |`,
    );
  }
}

await main();
