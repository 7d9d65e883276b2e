/**
 * Every protocol on a real socket gives the predictions `polyhead predict` writes for the same rows:
 * V2 infer, /invocations (split, records, CSV) and /v1/predict; plus the V2 metadata and health.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { csvRows, send, startTestServer, trainedModel, type Fixture, type TestServer } from './fixture.js';

let fx: Fixture;
let server: TestServer;
/** What `polyhead predict --probabilities` wrote: header and rows of cells. */
let expected: { header: string[]; rows: string[][] };
let rows: Array<Record<string, unknown>>;

before(async () => {
  fx = await trainedModel();
  server = await startTestServer([fx.model]);
  const r = await runCli(['predict', fx.model, fx.test, '--probabilities']);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...lines] = r.stdout.trim().split('\n').map((l) => l.split(','));
  expected = { header: header!, rows: lines };
  rows = csvRows(readFileSync(fx.test, 'utf8'), fx.inputs);
});
after(async () => server?.app.close());

type RowPrediction = Record<string, { label: string; probabilities: Record<string, number> }>;

/** The CLI's cells for a row-protocol answer: label, then p(class) to 6 digits, per task. */
function asCells(predictions: RowPrediction[]): string[][] {
  return predictions.map((p) =>
    expected.header.map((h) => {
      const m = /^(.*):p\((.*)\)$/.exec(h);
      return m ? p[m[1]!]!.probabilities[m[2]!]!.toPrecision(6) : p[h]!.label;
    }),
  );
}

test('/v1/predict equals polyhead predict on the same rows', async () => {
  const r = await send(`${server.url}/v1/predict`, { rows });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.predictions.length, expected.rows.length);
  assert.deepEqual(asCells(r.body.predictions), expected.rows);
});

test('/invocations with dataframe_split, dataframe_records and text/csv equals polyhead predict', async () => {
  const columns = Object.keys(rows[0]!);
  const split = await send(`${server.url}/invocations`, { dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) } });
  assert.equal(split.status, 200, JSON.stringify(split.body));
  assert.deepEqual(asCells(split.body.predictions), expected.rows);
  const records = await send(`${server.url}/invocations`, { dataframe_records: rows });
  assert.deepEqual(asCells(records.body.predictions), expected.rows);
  const csv = await send(`${server.url}/invocations`, readFileSync(fx.test, 'utf8'), 'text/csv');
  assert.equal(csv.status, 200, JSON.stringify(csv.body));
  assert.deepEqual(asCells(csv.body.predictions), expected.rows);
});

test('V2 infer: one tensor per column, outputs per task, the id echoed, equal to polyhead predict', async () => {
  const inputs = fx.inputs.map((i) => ({
    name: i.name,
    shape: [rows.length, 1],
    datatype: i.dtype === 'float32' ? 'FP32' : 'BYTES',
    data: rows.map((r) => r[i.name]),
  }));
  const r = await send(`${server.url}/v2/models/synth/infer`, { id: 'batch-7', inputs });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.id, 'batch-7');
  assert.equal(r.body.model_name, 'synth');
  const out = new Map<string, { shape: number[]; data: Array<number | string>; datatype: string }>(r.body.outputs.map((o: { name: string }) => [o.name, o]));
  assert.deepEqual([...out.keys()], ['kind.probabilities', 'kind.label', 'flag.probabilities', 'flag.label']);
  assert.deepEqual(out.get('kind.label')!.shape, [rows.length]);
  assert.equal(out.get('kind.probabilities')!.datatype, 'FP32');
  const cells = rows.map((_r, i) =>
    expected.header.map((h) => {
      const m = /^(.*):p\((.*)\)$/.exec(h);
      if (!m) return String(out.get(`${h}.label`)!.data[i]);
      const p = out.get(`${m[1]}.probabilities`)!;
      const k = p.shape[1]!;
      const classes = expected.header.filter((x) => x.startsWith(`${m[1]}:p(`));
      return (p.data[i * k + classes.indexOf(h)] as number).toPrecision(6);
    }),
  );
  assert.deepEqual(cells, expected.rows);

  const one = await send(`${server.url}/v2/models/synth/infer`, { inputs: inputs.map((t) => ({ ...t, shape: [1], data: t.data.slice(0, 1) })), outputs: [{ name: 'flag.label' }] });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.deepEqual(one.body.outputs.map((o: { name: string }) => o.name), ['flag.label']);
  assert.equal(one.body.id, undefined);
});

test('V2 metadata lists the inputs and outputs with datatypes and -1 for the batch; health and readiness answer', async () => {
  const meta = await send(`${server.url}/v2/models/synth`, undefined, '', 'GET');
  assert.equal(meta.status, 200);
  assert.deepEqual(meta.body.inputs, fx.inputs.map((i) => ({ name: i.name, datatype: i.dtype === 'float32' ? 'FP32' : 'BYTES', shape: [-1, 1] })));
  assert.deepEqual(meta.body.outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape]), [
    ['kind.probabilities', [-1, 3]],
    ['kind.label', [-1]],
    ['flag.probabilities', [-1, 2]],
    ['flag.label', [-1]],
  ]);
  for (const path of ['/v2/health/live', '/v2/health/ready', '/v2/models/synth/ready', '/ping', '/v2']) {
    assert.equal((await send(`${server.url}${path}`, undefined, '', 'GET')).status, 200, path);
  }
  const missing = await send(`${server.url}/v2/models/nope/ready`, undefined, '', 'GET');
  assert.equal(missing.status, 404);
  assert.match(missing.body.error, /'nope' is not served; models: synth/);
});
