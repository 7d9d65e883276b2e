/**
 * MMoE, Multi-gate Mixture-of-Experts (Ma et al., KDD 2018): `experts` expert MLPs on the shared
 * input, computed together as batched matmuls (weights [E, in, out]); each task has its own softmax
 * gate Linear(input → experts) whose weights mix the experts' outputs, then its tower and head.
 */
import type { Architecture } from './architecture.js';
import { expertBank, gate, mix, taskPrefix, towerAndHead } from './blocks.js';
import { inputLayer } from './input-layer.js';

export const mmoe: Architecture = {
  name: 'mmoe',
  description: 'multi-gate mixture of experts: shared expert MLPs, one softmax gate per task mixing them',
  build(ctx, input, tasks, o) {
    const x = inputLayer(ctx, 'input', input, o);
    const experts = expertBank(ctx, 'experts', x, o.experts, o.hidden, o);
    return tasks.map((task) => {
      const name = taskPrefix(task);
      return towerAndHead(ctx, name, mix(experts, gate(ctx, `${name}.gate`, x, o.experts)), task, o);
    });
  },
};
