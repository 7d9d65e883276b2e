/**
 * Trials stopped before their end: tree trials pruned at rungs counted in boosting rounds, and the
 * trial running when the time limit comes cut there, recorded as cut, and neither lost nor run again
 * when the study resumes.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileStore } from '../../src/tune/file-store.js';
import { tune } from '../../src/tune/tune.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 200);
const train = { tasks: 'kind,flag', test: files.test, threads: 1, baseline: false };

async function records(out: string) {
  const file = `${out}.study.jsonl`;
  const store = new FileStore(file);
  await store.open(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!).config);
  const result = { trials: await store.trials(), rungs: await store.rungs() };
  await store.close();
  return result;
}

const lines = (out: string) => readFileSync(`${out}.study.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; trial: number | { number: number } });
const numberOf = (l: { trial: number | { number: number } }): number => (typeof l.trial === 'number' ? l.trial : l.trial.number);

function spaceFile(name: string, space: Record<string, unknown>): string {
  const file = join(files.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(space));
  return file;
}

test('tree trials are pruned at rungs in boosting rounds, compared with the tree trials before them only', async () => {
  const trees = { when: { arch: ['gbdt'] } };
  const space = spaceFile('trees', { arch: ['gbdt', 'shared-bottom'], rounds: { choices: [30], ...trees }, treeLr: { low: 0.003, high: 0.3, log: true, ...trees } });
  const out = join(files.dir, 'trees');
  await tune(files.train, out, { trials: 9, sampler: 'random', space, minRounds: 3, minEpochs: 1, retrain: false, train: { ...train, epochs: 3 } });
  const { trials, rungs } = await records(out);
  const isTree = (n: number): boolean => trials[n]!.params.arch === 'gbdt';
  assert.deepEqual(trials.filter((t) => t.state === 'failed'), [], 'no trial failed');
  assert.ok(rungs.some((r) => !isTree(r.trial)) && rungs.some((r) => isTree(r.trial)), 'both kinds reached rungs');
  for (const r of rungs) assert.equal(r.unit, isTree(r.trial) ? 'round' : 'epoch', `trial ${r.trial}'s rungs count its own unit`);
  assert.deepEqual([...new Set(rungs.filter((r) => r.unit === 'round').map((r) => r.at))].sort((a, b) => a - b), [3, 9, 27].filter((at) => rungs.some((r) => r.unit === 'round' && r.at === at)), 'round rungs sit at 3, 9, 27');
  const pruned = trials.filter((t) => t.state === 'pruned' && isTree(t.number));
  assert.ok(pruned.length > 0, 'some tree trials were pruned');
  for (const t of pruned) {
    const stop = rungs.find((r) => r.trial === t.number && r.stop)!;
    assert.equal(stop.unit, 'round');
    assert.equal(t.result!.unit, 'round');
    assert.equal(t.result!.epochs, stop.at, 'it boosted no round past the rung');
    assert.equal(t.result!.score, stop.score, 'its score is the best it reached by the rung');
    const earlier = rungs.filter((r) => r.unit === 'round' && r.at === stop.at && r.trial < t.number).map((r) => r.score).sort((x, y) => y - x);
    assert.ok(stop.score < earlier[Math.max(1, Math.floor((earlier.length + 1) / 3)) - 1]!, 'its score was below the cut of the tree trials before it');
  }
  for (const t of trials.filter((t) => t.state === 'complete' && isTree(t.number))) assert.ok(t.result!.epochs <= 30);
});

for (const kind of ['network', 'trees'] as const) {
  test(`the time limit cuts the running ${kind} trial; it is recorded as cut and not run again on resume`, async () => {
    const space = kind === 'network'
      ? spaceFile('long-net', { arch: ['shared-bottom'], epochs: 100_000 })
      : spaceFile('long-trees', { arch: ['gbdt'], rounds: 1_000_000, treeLr: 1e-4 });
    const out = join(files.dir, `cut-${kind}`);
    // patience 0: no early stop, so only the limit can end a trial; no pruning, so no rung does.
    const options = { timeLimit: 2, space, prune: false, retrain: false, defaultsFirst: false, train: { ...train, patience: 0 } };
    const first = await tune(files.train, out, options);
    assert.deepEqual(first.leaderboard.map((r) => [r.trial, r.state]), [[0, 'cut']]);
    const cut = (await records(out)).trials[0]!;
    assert.equal(cut.state, 'cut');
    assert.ok(cut.result!.score !== null && cut.result!.epochs > 0, 'it keeps the score it reached');
    assert.equal(cut.result!.unit, kind === 'trees' ? 'round' : undefined);
    assert.ok(cut.result!.epochs < (kind === 'trees' ? 1_000_000 : 100_000));

    const second = await tune(files.train, out, options);
    assert.deepEqual(second.leaderboard.map((r) => r.state), ['cut', 'cut']);
    const all = lines(out);
    const claims = all.filter((l) => l.kind === 'claim').map(numberOf);
    const finishes = all.filter((l) => l.kind === 'finish').map(numberOf);
    assert.deepEqual(claims, [0, 1], 'the resumed study claimed a new trial, not the cut one again');
    assert.deepEqual(finishes, [0, 1], 'each trial finished once');
    assert.ok(second.leaderboard.some((r) => r.trial === 0 && r.score === cut.result!.score), 'the cut trial stays on the leaderboard with its score');
  });
}
