/**
 * The serve bench's code path with tiny counts: the bench itself runs end to end against a small
 * model (every setting answered without an error), and the bodies it sends on each protocol get
 * the predictions `polyhead predict` writes for the same rows. Nothing here is timed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { csvRows, modelInputs, PROTOCOLS, request, startServer, stopServer, type Protocol, type Server } from '../../bench/serve/load.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { CLI, runCli } from '../support/cli.js';
import { trainedModel, type Fixture } from './fixture.js';

const ROWS = 5;
let fx: Fixture;
let server: Server;
/** What `polyhead predict --probabilities` wrote for the first ROWS rows: header and cells. */
let expected: { header: string[]; rows: string[][] };

before(async () => {
  fx = await trainedModel();
  server = await startServer('polyhead', [CLI, 'serve', fx.model, '--port', '0']);
  const r = await runCli(['predict', fx.model, fx.test, '--probabilities']);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...lines] = r.stdout.trim().split('\n').map((l) => l.split(','));
  expected = { header: header!, rows: lines.slice(0, ROWS) };
});
after(async () => server && stopServer(server));

type RowAnswer = { predictions: Array<Record<string, { label: string; probabilities: Record<string, number> }>> };
type V2Answer = { outputs: Array<{ name: string; shape: number[]; data: Array<number | string> }> };

/** An answer as the CLI's cells: per task the label, then p(class) to 6 digits. */
function cells(protocol: Protocol, answer: unknown): string[][] {
  return Array.from({ length: ROWS }, (_x, r) =>
    expected.header.map((h) => {
      const m = /^(.*):p\((.*)\)$/.exec(h);
      if (protocol !== 'v2') {
        const p = (answer as RowAnswer).predictions[r]!;
        return m ? p[m[1]!]!.probabilities[m[2]!]!.toPrecision(6) : p[h]!.label;
      }
      const outputs = new Map((answer as V2Answer).outputs.map((o) => [o.name, o]));
      if (!m) return String(outputs.get(`${h}.label`)!.data[r]);
      const classes = expected.header.filter((x) => x.startsWith(`${m[1]}:p(`));
      const p = outputs.get(`${m[1]}.probabilities`)!;
      return Number(p.data[r * p.shape[1]! + classes.indexOf(h)]).toPrecision(6);
    }),
  );
}

test("the bench's bodies on every protocol get the predictions polyhead predict writes", async () => {
  const rows = csvRows(fx.test, modelInputs(fx.model), ROWS);
  for (const protocol of PROTOCOLS) {
    const { path, body } = request(protocol, fx.model, modelInputs(fx.model), rows);
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer: unknown = await res.json();
    assert.equal(res.status, 200, `${protocol}: ${JSON.stringify(answer)}`);
    assert.deepEqual(cells(protocol, answer), expected.rows, protocol);
  }
});

test('the bench runs end to end with tiny counts, every setting answered without an error', async () => {
  const bench = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bench', 'serve', 'run.js'), fx.model, '--rows', fx.test, '--seconds', '0.3', '--max-requests', '20', '--connections', '1,2']);
  const r = { stdout: '', stderr: '', code: null as number | null };
  bench.stdout.on('data', (d: Buffer) => (r.stdout += d.toString()));
  bench.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
  r.code = await new Promise<number | null>((done) => bench.on('close', done));
  assert.equal(r.code, 0, r.stderr);
  const table = r.stdout.split('\n').filter((l) => /^\| (v1|invocations|v2) \|/.test(l));
  // v1: 3 servers × 2 body sizes × 2 connection counts; invocations and V2: bare and batched, 1 row.
  assert.equal(table.length, 3 * 2 * 2 + 2 * 2, r.stdout);
  for (const line of table) assert.equal(line.split('|')[9]!.trim(), '0', `errors in: ${line}`);
  assert.match(r.stdout, /v2, 1-row at 2 connections: polyhead batched = \d+% of the bare route's requests\/s/);
});
