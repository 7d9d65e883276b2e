/**
 * PLE, Progressive Layered Extraction (Tang et al., RecSys 2020). Each level is a CGC block: every
 * task has `taskExperts` experts of its own and all tasks share `sharedExperts`; a task's gate mixes
 * its own and the shared experts, and — below the last level — a shared gate mixes every expert to
 * feed the next level's shared experts. Each level's experts are MLPs of the `hidden` widths; the
 * tasks' towers and heads sit on the last level.
 */
import { concat, type Tensor } from '../graph/index.js';
import type { Architecture } from './architecture.js';
import { expertBank, gate, mix, taskPrefix, towerAndHead } from './blocks.js';
import { inputLayer } from './input-layer.js';

export const ple: Architecture = {
  name: 'ple',
  description: 'progressive layered extraction: per level, task-specific and shared experts with gates',
  build(ctx, input, tasks, o) {
    const x = inputLayer(ctx, 'input', input, o);
    let shared: Tensor = x;
    let own: Tensor[] = tasks.map(() => x);
    for (let level = 0; level < o.levels; level++) {
      const at = `level${level}`;
      const sharedExperts = expertBank(ctx, `${at}.shared.experts`, shared, o.sharedExperts, o.hidden, o);
      const taskExperts = tasks.map((t, i) => expertBank(ctx, `${at}.${taskPrefix(t)}.experts`, own[i]!, o.taskExperts, o.hidden, o));
      const next = tasks.map((t, i) =>
        mix(concat([taskExperts[i]!, sharedExperts], 0), gate(ctx, `${at}.${taskPrefix(t)}.gate`, own[i]!, o.taskExperts + o.sharedExperts)),
      );
      if (level < o.levels - 1) {
        const all = concat([...taskExperts, sharedExperts], 0);
        shared = mix(all, gate(ctx, `${at}.shared.gate`, shared, tasks.length * o.taskExperts + o.sharedExperts));
      }
      own = next;
    }
    return tasks.map((task, i) => towerAndHead(ctx, taskPrefix(task), own[i]!, task, o));
  },
};
