/**
 * Single-task: one independent network per task — its own input layer, MLP, tower and head — all
 * built into the same graph as separate blocks. The baseline every multi-task model is compared with.
 */
import type { Architecture } from './architecture.js';
import { mlp, taskPrefix, towerAndHead } from './blocks.js';
import { inputLayer } from './input-layer.js';

export const singleTask: Architecture = {
  name: 'single-task',
  description: 'one independent network per task (own embeddings, MLP, tower and head): the baseline',
  build(ctx, input, tasks, o) {
    return tasks.map((task) => {
      const name = taskPrefix(task);
      const x = inputLayer(ctx, `${name}.input`, input, o);
      return towerAndHead(ctx, name, mlp(ctx, `${name}.mlp`, x, o.hidden, o), task, o);
    });
  },
};
