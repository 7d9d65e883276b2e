/**
 * Cross-stitch networks (Misra et al., CVPR 2016): one column (MLP) per task; after each hidden
 * layer a learned T×T matrix α mixes the columns, h'_t = Σ_s α[t, s]·h_s, then each column goes on
 * to its tower and head. α starts near the identity (0.9 on the diagonal, 0.1/(T−1) elsewhere).
 * The engine's initialisers fill a parameter with one constant, so the parameter
 * `cross-stitch.<layer>.delta` holds α − α₀ (starting at 0); the gradients are the same as for α.
 */
import { add, concat, matmul, slice, squeeze, unsqueeze, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import type { Architecture } from './architecture.js';
import { layer, taskPrefix, towerAndHead } from './blocks.js';
import { inputLayer } from './input-layer.js';

/** α₀ for T tasks, row-major [T, T]. */
export function crossStitchInit(tasks: number): Float32Array {
  const a = new Float32Array(tasks * tasks).fill(tasks > 1 ? 0.1 / (tasks - 1) : 0);
  for (let t = 0; t < tasks; t++) a[t * tasks + t] = tasks > 1 ? 0.9 : 1;
  return a;
}

/** Mixes the columns ([batch, width] each) with a learned α; one column passes through. */
export function crossStitch(ctx: BuildContext, name: string, columns: Tensor[]): Tensor[] {
  const T = columns.length;
  if (T < 2) return columns;
  const alpha = add(ctx.graph.constant(crossStitchInit(T), 'float32', [T, T]), ctx.param(`${name}.delta`, [T, T], { kind: 'constant', value: 0 }));
  const stacked = concat(columns.map((c) => unsqueeze(c, 1)), 1); // [batch, T, width]
  const mixed = matmul(alpha, stacked);
  return columns.map((_, t) => squeeze(slice(mixed, 1, t, t + 1), 1));
}

export const crossStitchArch: Architecture = {
  name: 'cross-stitch',
  description: 'one column per task, mixed after every hidden layer by a learned T×T cross-stitch matrix',
  build(ctx, input, tasks, o) {
    const x = inputLayer(ctx, 'input', input, o);
    let columns = tasks.map(() => x);
    o.hidden.forEach((units, l) => {
      columns = columns.map((h, t) => layer(ctx, `${taskPrefix(tasks[t]!)}.column.${l}`, h, units, o));
      columns = crossStitch(ctx, `cross-stitch.${l}`, columns);
    });
    return tasks.map((task, t) => towerAndHead(ctx, taskPrefix(task), columns[t]!, task, o));
  },
};
