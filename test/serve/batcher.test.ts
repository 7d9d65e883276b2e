/** Micro-batching: concurrent requests become few onnxruntime runs, and each gets exactly its own rows' predictions. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { slicePredictions } from '../../src/serve/batcher.js';
import { decodeRecords } from '../../src/serve/decode/records.js';
import { parseServeOptions } from '../../src/serve/options.js';
import { ServedModel } from '../../src/serve/served-model.js';
import { csvRows, trainedModel, type Fixture } from './fixture.js';

let fx: Fixture;
let rows: Array<Record<string, unknown>>;

before(async () => {
  fx = await trainedModel();
  rows = csvRows(readFileSync(fx.test, 'utf8'), fx.inputs).slice(0, 20);
});

async function served(options: Parameters<typeof parseServeOptions>[0]): Promise<ServedModel> {
  return ServedModel.load({ name: 'synth', dir: fx.model }, parseServeOptions(options));
}

test('20 concurrent one-row requests become ceil(20 / maxBatchRows) runs, each answer equal to its row run alone', async () => {
  const batched = await served({ maxBatchRows: 8, maxWaitMs: 50 });
  const alone = await served({ batching: false });
  try {
    const one = async (m: ServedModel, r: Record<string, unknown>) => slicePredictions(await m.predict(decodeRecords([r], m.rules, 'rows')), m.meta.tasks);
    const joined = await Promise.all(rows.map((r) => one(batched, r)));
    assert.deepEqual(batched.batcher.stats, { runs: 3, rows: 20 });
    for (let i = 0; i < rows.length; i++) {
      const single = await one(alone, rows[i]!);
      assert.deepEqual(joined[i], single, `row ${i}`);
    }
    assert.equal(alone.batcher.stats.runs, 20);
  } finally {
    await batched.release();
    await alone.release();
  }
});

test('requests larger than maxBatchRows still run whole, one per run', async () => {
  const m = await served({ maxBatchRows: 4, maxWaitMs: 10 });
  try {
    const batch = decodeRecords(rows, m.rules, 'rows');
    const [a, b] = await Promise.all([m.predict(batch), m.predict(batch)]);
    assert.deepEqual(m.batcher.stats, { runs: 2, rows: 40 });
    assert.deepEqual(slicePredictions(a, m.meta.tasks), slicePredictions(b, m.meta.tasks));
    assert.equal(a.rows, 20);
    assert.equal(a.predictions[0]!.labels.length, 20);
  } finally {
    await m.release();
  }
});

test('batches sent while the worker runs are joined into its next run, each answer still its own rows', async () => {
  const big = 2000;
  const m = await served({ maxBatchRows: big });
  try {
    const turn = (): Promise<void> => new Promise((done) => setImmediate(done));
    const first = m.predict(decodeRecords(Array.from({ length: big }, (_, i) => rows[i % rows.length]!), m.rules, 'rows'));
    // One small request per event-loop turn: each is its own batch to the worker, all sent while it runs the big one.
    const small: Array<ReturnType<ServedModel['predict']>> = [];
    for (let i = 0; i < 5; i++) {
      await turn();
      small.push(m.predict(decodeRecords([rows[i]!], m.rules, 'rows')));
    }
    const answers = await Promise.all(small);
    await first;
    assert.deepEqual(m.batcher.stats, { runs: 2, rows: big + 5 });
    const alone = await served({ batching: false });
    try {
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(slicePredictions(answers[i]!, m.meta.tasks), slicePredictions(await alone.predict(decodeRecords([rows[i]!], alone.rules, 'rows')), alone.meta.tasks), `row ${i}`);
      }
    } finally {
      await alone.release();
    }
  } finally {
    await m.release();
  }
});

test('a model whose worker has exited is not alive and refuses predictions with 503', async () => {
  const m = await served({});
  const batch = decodeRecords(rows.slice(0, 2), m.rules, 'rows');
  assert.equal((await m.predict(batch)).predictions[0]!.labels.length, 2);
  assert.equal(m.alive, true);
  await m.release();
  assert.equal(m.alive, false);
  await assert.rejects(m.predict(batch), (err: Error & { status?: number }) => err.status === 503 && /not loaded any more/.test(err.message));
});
