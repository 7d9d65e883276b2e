import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getArchitecture } from '../../src/arch/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { lossBuild, TASKS, train } from './harness.js';

const single = getArchitecture('single-task');

test('single-task networks share no parameter: each belongs to exactly one task, with its own embeddings', () => {
  const defs = paramLayout(lossBuild(single)).defs;
  for (const d of defs) assert.equal(TASKS.filter((t) => d.name.startsWith(`task:${t.name}.`)).length, 1, d.name);
  for (const t of TASKS) assert.ok(defs.some((d) => d.name === `task:${t.name}.input.embedding.table`));
});

test('training only one task moves only that task’s network', async () => {
  const run = await train(single, { seed: 2, epochs: 1, weights: [0, 1, 0] });
  await run.trainable.release();
  for (const [name, before] of run.init) {
    const moved = before.some((v, i) => v !== run.final.get(name)![i]);
    assert.equal(moved, name.startsWith('task:flag.'), name);
  }
});
