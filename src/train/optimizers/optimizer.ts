/**
 * An optimizer is built into the step graph: given a parameter, its gradient and its state
 * tensors, it returns the updated parameter and state. Per-step scalars (learning rate, bias
 * corrections) are graph inputs computed in JS, so schedules need no recompilation.
 */
import type { Tensor } from '../../graph/index.js';

export interface OptimizerScalars {
  [name: string]: Tensor;
}

export interface Optimizer {
  readonly name: string;
  /** State tensors kept per parameter, each shaped like it and starting at zero. */
  readonly slots: readonly string[];
  /** Names of the scalar inputs the update reads (always includes 'lr'). */
  readonly scalarNames: readonly string[];
  update(param: Tensor, grad: Tensor, state: Record<string, Tensor>, s: OptimizerScalars): { param: Tensor; state: Record<string, Tensor> };
  /** Values of the scalar inputs for step `step` (1-based) at learning rate `lr`. */
  scalars(step: number, lr: number): Record<string, number>;
}
