/**
 * Shared-bottom (Caruana 1997): one trunk MLP shared by every task, then a tower and head per task.
 */
import type { Architecture } from './architecture.js';
import { mlp, taskPrefix, towerAndHead } from './blocks.js';
import { inputLayer } from './input-layer.js';

export const sharedBottom: Architecture = {
  name: 'shared-bottom',
  description: 'a shared trunk MLP (hard parameter sharing), one tower and head per task',
  build(ctx, input, tasks, o) {
    const trunk = mlp(ctx, 'trunk', inputLayer(ctx, 'input', input, o), o.hidden, o);
    return tasks.map((task) => towerAndHead(ctx, taskPrefix(task), trunk, task, o));
  },
};
