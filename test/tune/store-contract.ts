/**
 * The contract every study store keeps, as one suite that each implementation runs (the file store
 * and the PostgreSQL store): unique trial numbers in claim order, the trial limit, records (cut
 * trials and tree rungs too) that survive a reopen, settings checked on open, and a trial left by a
 * dead worker handed out once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import type { StudyStore, TrialRecord } from '../../src/tune/store.js';

export interface StoreFixture {
  /** Instances of one new study: each call opens another connection to the same study. */
  study(): () => StudyStore;
  /** Whether two instances may be open at once (several workers). */
  shared: boolean;
  /** Waits until a dead worker's running trial counts as abandoned. */
  abandoned?: () => Promise<void>;
}

const CONFIG = { format: 'polyhead-study', version: 1, space: [{ name: 'lr', type: 'range', low: 1e-4, high: 1e-2, log: true, int: false }], seed: 3 };
const params = (n: number) => ({ lr: 1e-3 * (n + 1), hidden: [64, 32], arch: 'mmoe', dropout: null });

export function storeContract(name: string, fixture: StoreFixture): void {
  test(`${name}: claims number trials in order, each proposal seeing the trials before it, up to the limit`, async () => {
    const store = fixture.study()();
    await store.open(CONFIG);
    const seen: number[] = [];
    const claimed: TrialRecord[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await store.claim('w1', 3, (trials, number) => (seen.push(trials.length), params(number)));
      if (t) claimed.push(t);
    }
    assert.deepEqual(claimed.map((t) => t.number), [0, 1, 2]);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual((await store.trials()).map((t) => [t.number, t.state, t.worker]), [[0, 'running', 'w1'], [1, 'running', 'w1'], [2, 'running', 'w1']]);
    assert.deepEqual((await store.trials())[1]!.params, params(1));
    await store.close();
  });

  test(`${name}: results and rung scores are kept across a reopen; other settings are refused`, async () => {
    const make = fixture.study();
    const a = make();
    await a.open(CONFIG);
    await a.claim('w1', null, (_t, n) => params(n));
    await a.claim('w1', null, (_t, n) => params(n));
    await a.claim('w1', null, (_t, n) => params(n));
    await a.report({ trial: 0, unit: 'epoch', at: 1, score: 0.5, stop: false });
    await a.report({ trial: 1, unit: 'epoch', at: 1, score: 0.25, stop: true });
    await a.report({ trial: 2, unit: 'round', at: 1, score: 0.125, stop: false });
    await a.finish(0, 'complete', { score: 0.75, epochs: 4, bestEpoch: 3, seconds: 1.5, testScore: 0.7 });
    await a.finish(1, 'pruned', { score: 0.25, epochs: 1, bestEpoch: 1, seconds: 0.5 });
    await a.finish(2, 'cut', { score: 0.125, epochs: 3, bestEpoch: 2, seconds: 0.5, unit: 'round' });
    await a.close();

    const b = make();
    await b.open(JSON.parse(JSON.stringify(CONFIG)));
    const trials = await b.trials();
    assert.deepEqual(trials.map((t) => [t.number, t.state, t.result?.score]), [[0, 'complete', 0.75], [1, 'pruned', 0.25], [2, 'cut', 0.125]]);
    assert.deepEqual(trials[0]!.result, { score: 0.75, epochs: 4, bestEpoch: 3, seconds: 1.5, testScore: 0.7 });
    assert.deepEqual(trials[0]!.params, params(0));
    assert.deepEqual(trials[2]!.result, { score: 0.125, epochs: 3, bestEpoch: 2, seconds: 0.5, unit: 'round' });
    assert.deepEqual((await b.rungs()).sort((x, y) => x.trial - y.trial), [
      { trial: 0, unit: 'epoch', at: 1, score: 0.5, stop: false },
      { trial: 1, unit: 'epoch', at: 1, score: 0.25, stop: true },
      { trial: 2, unit: 'round', at: 1, score: 0.125, stop: false },
    ]);
    assert.equal(await b.reclaim('w2'), null, 'finished trials, pruned and cut ones too, are never handed out again');
    await b.close();

    const c = make();
    await assert.rejects(c.open({ ...CONFIG, seed: 4 }), (e: unknown) => e instanceof OptionError && e.code === 'study-mismatch');
  });

  test(`${name}: a trial left running by a dead worker is handed to one other worker, once, with its parameters`, async () => {
    const make = fixture.study();
    const dead = make();
    await dead.open(CONFIG);
    await dead.claim('dead', null, (_t, n) => params(n));
    await dead.claim('dead', null, (_t, n) => params(n));
    await dead.finish(0, 'complete', { score: 0.5, epochs: 2, bestEpoch: 2, seconds: 1 });
    await dead.close();
    await fixture.abandoned?.();

    const next = make();
    await next.open(CONFIG);
    const again = await next.reclaim('next');
    assert.ok(again);
    assert.equal(again.number, 1);
    assert.equal(again.worker, 'next');
    assert.deepEqual(again.params, params(1));
    assert.equal(await next.reclaim('next'), null);
    const fresh = await next.claim('next', null, (_t, n) => params(n));
    assert.equal(fresh?.number, 2, 'a new claim takes the next free number');
    await next.close();
  });

  test(`${name}: concurrent claims${fixture.shared ? ' from two workers' : ''} never share a number`, async () => {
    const make = fixture.study();
    const a = make();
    await a.open(CONFIG);
    const b = fixture.shared ? make() : a;
    if (b !== a) await b.open(CONFIG);
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).claim(`w${i % 2}`, 10, (_t, n) => params(n))));
    const numbers = claims.filter((t): t is TrialRecord => t !== null).map((t) => t.number).sort((x, y) => x - y);
    assert.deepEqual(numbers, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual((await a.trials()).map((t) => t.number), numbers);
    for (const t of await a.trials()) assert.deepEqual(t.params, params(t.number), `trial ${t.number} keeps the parameters proposed for its number`);
    await a.close();
    if (b !== a) await b.close();
  });
}
