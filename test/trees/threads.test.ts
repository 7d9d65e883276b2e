import { test } from 'node:test';
import { availableParallelism } from 'node:os';
import assert from 'node:assert/strict';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { OptionError, TrainingError } from '../../src/errors.js';
import { DEFAULT_GBDT_OPTIONS, parseGbdtOptions, trainEnsemble, type GbdtOptions } from '../../src/trees/index.js';
import { defaultTreeThreads, SHARED_THREADS_ROWS } from '../../src/trees/options.js';
import { joinBlocks, partition, partitionBlock } from '../../src/trees/partition.js';
import { TreePool } from '../../src/trees/pool.js';
import { HALVES_ROWS } from '../../src/trees/histogram.js';
import { ensembleToJson } from '../../src/trees/serialize.js';
import { MIN_POOL_ROWS } from '../../src/trees/work.js';
import { Random } from '../../src/util/random.js';
import { binaryTask, labelsFor, multiclassTask, multilabelTask, problem } from './synthetic.js';

// Enough rows that two threads start, the root and its larger children are built in halves (one
// per thread) and smaller nodes split between the threads by features.
const train = problem(Math.max(MIN_POOL_ROWS, 2 * HALVES_ROWS), 3);
const valid = problem(1500, 4);
const tasks: Task[] = [binaryTask, multiclassTask, multilabelTask];

/** Labels with every 17th row unlabelled for one task or another (the masked-row paths). */
function labelsOf(p: typeof train, seed: number, of: Task[]): TaskLabels[] {
  return of.map((t, k) => {
    const l = labelsFor(t, p, seed + k);
    if (l.type === 'multilabel') for (let i = k; i < l.mask.length; i += 17) l.mask[i] = 0;
    else for (let i = k; i < l.classIndex.length; i += 17) l.classIndex[i] = -1;
    return l;
  });
}

/** The ensemble and the per-round history, as bytes. */
function trained(o: Partial<GbdtOptions>, of = tasks): string {
  const options = { ...DEFAULT_GBDT_OPTIONS, rounds: 12, leaves: 15, patience: 0, ...o };
  const result = trainEnsemble({ inputs: train.inputs, labels: labelsOf(train, 10, of) }, { inputs: valid.inputs, labels: labelsOf(valid, 20, of) }, of, options);
  return JSON.stringify({ ensemble: ensembleToJson(result.ensemble), history: result.history, best: result.taskBestRound });
}

for (const [name, o] of [
  ['shared trees, projection sketch', { mode: 'shared', sketch: 2 }],
  ['shared trees, no sketch, row subsample', { mode: 'shared', sketch: 0, rowSubsample: 0.7 }],
  ['per-task trees', { mode: 'per-task' }],
  ['per-task trees, row and feature subsamples', { mode: 'per-task', rowSubsample: 0.7, featureSubsample: 0.7 }],
  // Tasks stopping at their own rounds: later rounds' gradients are computed for fewer tasks.
  ['shared trees, early stopping per task', { mode: 'shared', sketch: 2, rounds: 40, lr: 0.6, patience: 2 }],
  ['per-task trees, early stopping per task', { mode: 'per-task', rounds: 40, lr: 0.6, patience: 2 }],
] as [string, Partial<GbdtOptions>][]) {
  test(`${name}: 2 threads give the same model bytes and history as 1`, () => {
    const one = trained({ ...o, threads: 1 });
    assert.equal(trained({ ...o, threads: 2 }), one);
    if (o.patience) {
      const { best } = JSON.parse(one) as { best: number[] };
      assert.ok(new Set(best).size > 1, `the tasks stop at different rounds (best rounds ${best.join(', ')})`);
    }
  });
}

test('per-task trees of one output (fewer trees than threads: each node split instead): 2 threads give the same bytes as 1', () => {
  assert.equal(trained({ mode: 'per-task', threads: 2 }, [binaryTask]), trained({ mode: 'per-task', threads: 1 }, [binaryTask]));
});

test('threads: a whole count from 1 to 4, refused otherwise with the option named', () => {
  assert.equal(parseGbdtOptions({ threads: 1 }).threads, 1);
  assert.equal(DEFAULT_GBDT_OPTIONS.threads, undefined, 'the default is per mode');
  const cores = Math.min(availableParallelism(), 4);
  assert.equal(defaultTreeThreads('shared', SHARED_THREADS_ROWS - 1), 1);
  assert.equal(defaultTreeThreads('shared', SHARED_THREADS_ROWS), cores);
  assert.equal(defaultTreeThreads('per-task', MIN_POOL_ROWS), cores);
  for (const threads of [0, 5, 1.5, '2']) {
    assert.throws(() => parseGbdtOptions({ threads }), (e: unknown) => e instanceof OptionError && e.details.option === 'threads');
  }
});

test('a job that throws in a worker becomes a TrainingError, and the pool still closes', () => {
  const pool = TreePool.open(2, new URL('./failing-worker.js', import.meta.url), (_kind, _args, part) => part);
  try {
    pool.argsOf(4);
    assert.deepEqual(Array.from(pool.run(0)), [0, 11]);
    assert.throws(() => pool.run(1), (e: unknown) => e instanceof TrainingError && e.code === 'tree-worker-failed' && /job 1 failed in part 1/.test(e.message));
    assert.deepEqual(Array.from(pool.run(0)), [0, 11]);
  } finally {
    pool.close();
  }
});

test('a partition in row blocks, joined, equals the one-pass partition', () => {
  const r = new Random(7);
  const n = 5000;
  const col = Uint8Array.from({ length: n }, () => r.int(6));
  const goLeft = Uint8Array.of(1, 0, 0, 1, 1, 0);
  const order = r.permutation(n);
  const [start, end] = [300, 4700];
  const one = Int32Array.from(order);
  const nl = partition(one, new Int32Array(n), col, goLeft, start, end);
  for (const cuts of [[start, 2000], [start, 301, 2500, 4000], [start, 4699]]) {
    const blocks = Int32Array.from(order);
    const scratch = new Int32Array(n);
    const ends = [...cuts.slice(1), end];
    const lefts = cuts.map((from, b) => partitionBlock(blocks, scratch, col, goLeft, from, ends[b]!));
    assert.equal(joinBlocks(blocks, scratch, cuts, end, lefts), nl);
    assert.deepEqual(blocks, one);
  }
});
