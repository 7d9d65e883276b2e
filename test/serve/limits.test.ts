/**
 * The bad inputs `serve` refuses, each on a real socket: oversized bodies and row counts (413),
 * prototype-poisoning keys, deep or wrong-typed JSON, missing and unknown columns (400, naming the
 * column), slow headers and bodies (408), overload (503 with Retry-After); and the log holds only
 * method, path, status and time.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { csvRows, send, startTestServer, trainedModel, type Fixture, type TestServer } from './fixture.js';

let fx: Fixture;
let server: TestServer;
let rows: Array<Record<string, unknown>>;
const others: TestServer[] = [];

before(async () => {
  fx = await trainedModel();
  server = await startTestServer([fx.model], { bodyLimit: 20_000, maxRows: 50 });
  rows = csvRows(readFileSync(fx.test, 'utf8'), fx.inputs).slice(0, 10);
});
after(async () => {
  for (const s of [server, ...others]) await s?.app.close();
});

async function another(options: Parameters<typeof startTestServer>[1]): Promise<TestServer> {
  const s = await startTestServer([fx.model], options);
  others.push(s);
  return s;
}

const predict = (body: unknown, s = server) => send(`${s.url}/v1/predict`, body);

test('a body over the limit is 413 and a request over the row limit is 413, both saying the limit', async () => {
  const big = await predict({ rows: Array.from({ length: 2000 }, () => rows[0]) });
  assert.equal(big.status, 413);
  assert.match(big.body.error, /limit of 20000 bytes/);
  const many = await predict({ rows: Array.from({ length: 51 }, () => rows[0]) });
  assert.equal(many.status, 413);
  assert.match(many.body.error, /51 rows; the server takes at most 50/);
});

test('prototype-poisoning keys are refused with 400', async () => {
  for (const body of ['{"rows": [], "__proto__": {"polluted": true}}', '{"rows": [{"constructor": {"prototype": {"polluted": true}}}]}']) {
    const r = await send(`${server.url}/v1/predict`, body);
    assert.equal(r.status, 400, body);
    assert.match(r.body.error, /prototype/);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('deeply nested JSON is refused before it is parsed; wrong-typed values name the column and row', async () => {
  const deep = await send(`${server.url}/v1/predict`, `{"rows": ${'['.repeat(50_00)}${']'.repeat(50_00)}}`);
  assert.equal(deep.status, 400);
  assert.match(deep.body.error, /nests deeper than 8 levels/);
  const numeric = fx.inputs.find((i) => i.dtype === 'float32')!.name;
  const category = fx.inputs.find((i) => i.dtype === 'string')!.name;
  const cases: Array<[unknown, RegExp]> = [
    [{ ...rows[1], [numeric]: 'abc' }, new RegExp(`column '${numeric}', rows\\[1\\]: expected a number or null, got a string`)],
    [{ ...rows[1], [numeric]: { a: 1 } }, new RegExp(`column '${numeric}', rows\\[1\\]: expected a number or null, got an object`)],
    [{ ...rows[1], [category]: [1, 2] }, new RegExp(`column '${category}', rows\\[1\\]: expected a string, number, boolean or null, got an array`)],
  ];
  for (const [bad, message] of cases) {
    const r = await predict({ rows: [rows[0], bad] });
    assert.equal(r.status, 400);
    assert.match(r.body.error, message);
  }
  const v2 = await send(`${server.url}/v2/models/synth/infer`, {
    inputs: fx.inputs.map((i) => ({ name: i.name, shape: [1], datatype: 'BYTES', data: [String(rows[0]![i.name] ?? '')] })),
  });
  assert.equal(v2.status, 400);
  assert.match(v2.body.error, new RegExp(`input '${numeric}': datatype must be FP32 or FP64, got BYTES`));
});

test('missing feature columns are named; unknown columns are ignored, or refused by name when the option says so', async () => {
  const category = fx.inputs.find((i) => i.dtype === 'string')!.name;
  const without = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== category)));
  const missing = await predict({ rows: without });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error, new RegExp(`missing feature column '${category}'`));
  const extra = rows.map((r) => ({ ...r, shoe_size: 44 }));
  assert.equal((await predict({ rows: extra })).status, 200);
  const strict = await another({ unknownColumns: 'refuse' });
  const refused = await predict({ rows: extra }, strict);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /unknown column 'shoe_size'/);
  assert.equal((await predict({ rows }, strict)).status, 200, 'the task label columns of the test file are not unknown');
});

test('slow headers and slow bodies are cut with 408', async () => {
  const slow = await another({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
  const port = Number(new URL(slow.url).port);
  const reply = (first: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(first));
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
  assert.match(await reply('POST /v1/predict HTTP/1.1\r\nHost: x\r\n'), /^HTTP\/1\.1 408/);
  assert.match(await reply('POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"rows"'), /^HTTP\/1\.1 408/);
});

test('overload is answered 503 with Retry-After: a full queue at once, memory pressure through under-pressure', async () => {
  const queued = await another({ maxQueueRows: 12, maxWaitMs: 300 });
  const answers = await Promise.all([predict({ rows }, queued), predict({ rows }, queued)]);
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [200, 503]);
  const busy = answers.find((a) => a.status === 503)!;
  assert.equal(busy.headers.get('retry-after'), '1');
  assert.match(busy.body.error, /busy/);

  const pressed = await another({ maxHeapUsedBytes: 1, retryAfterSeconds: 7 });
  let r = await predict({ rows }, pressed);
  // under-pressure samples memory on a timer: wait for its first sample, a bounded number of tries.
  for (let i = 0; i < 50 && r.status !== 503; i++) {
    await new Promise((done) => setTimeout(done, 100));
    r = await predict({ rows }, pressed);
  }
  assert.equal(r.status, 503);
  assert.equal(r.headers.get('retry-after'), '7');
  assert.match(r.body.error, /overloaded/);
  assert.equal((await send(`${pressed.url}/v2/health/live`, undefined, '', 'GET')).status, 200, 'liveness is not shed');
});

test('other media types, routes and body shapes are refused as {"error": ...}', async () => {
  const xml = await send(`${server.url}/v1/predict`, '<rows/>', 'application/xml');
  assert.equal(xml.status, 415);
  assert.equal(typeof xml.body.error, 'string');
  const nowhere = await send(`${server.url}/v3/nothing`, {});
  assert.equal(nowhere.status, 404);
  assert.match(nowhere.body.error, /no route POST \/v3\/nothing/);
  const shape = await send(`${server.url}/invocations`, { instances: [] });
  assert.equal(shape.status, 400);
  assert.match(shape.body.error, /dataframe_split/);
});

test('the log holds only method, path, status and time: no value, column or query of a request', async () => {
  await send(`${server.url}/v1/predict?token=secret-query-42`, { rows: rows.map((r) => ({ ...r, note: 'secret-value-42' })) });
  await predict({ rows: [{ ...rows[0], [fx.inputs[0]!.name]: 'secret-bad-42' }] });
  assert.ok(server.logs.length >= 2);
  for (const line of server.logs) {
    assert.match(line, /^(GET|POST) \/[^\s?]* \d{3} \d+\.\dms$/, line);
    assert.doesNotMatch(line, /secret|42/, line);
  }
});
