/** Layers built from graph ops. Names are prefixes under which the layer declares its parameters. */
import { add, gather, gelu, layerNormalization, matmul, mul, relu, sigmoid, tanh, type Tensor } from '../graph/index.js';
import type { BuildContext } from './context.js';

export type Activation = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'gelu', 'tanh', 'sigmoid', 'linear'];

export function activate(x: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu': return relu(x);
    case 'gelu': return gelu(x);
    case 'tanh': return tanh(x);
    case 'sigmoid': return sigmoid(x);
    case 'linear': return x;
  }
}

/** x·W + b over the last axis; leading axes (batch, experts) pass through. */
export function dense(ctx: BuildContext, name: string, x: Tensor, units: number, act: Activation = 'linear'): Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const w = ctx.param(`${name}.w`, [inDim, units], act === 'relu' || act === 'gelu' ? { kind: 'he-uniform' } : { kind: 'glorot-uniform' });
  const b = ctx.param(`${name}.b`, [units], { kind: 'constant', value: 0 });
  return activate(add(matmul(x, w), b), act);
}

/**
 * Layer normalisation over the last axis with a learned gain and bias; a bank of `experts`
 * ([E, batch, d]) gets a gain and bias per expert, applied after a unit one (LayerNormalization
 * takes a gain and bias over the normalised axis only).
 */
export function layerNorm(ctx: BuildContext, name: string, x: Tensor, experts?: number, eps = 1e-5): Tensor {
  const d = x.shape[x.rank - 1] as number;
  const shape = experts === undefined ? [d] : [experts, 1, d];
  const gain = ctx.param(`${name}.gain`, shape, { kind: 'constant', value: 1 });
  const bias = ctx.param(`${name}.bias`, shape, { kind: 'constant', value: 0 });
  if (experts === undefined) return layerNormalization(x, gain, bias, eps);
  const unit = (value: number): Tensor => x.graph.constant(new Array<number>(d).fill(value), x.dtype, [d]);
  return add(mul(layerNormalization(x, unit(1), unit(0), eps), gain), bias);
}

/** Embedding lookup: int64 indices [..] → [.., dim]. */
export function embedding(ctx: BuildContext, name: string, indices: Tensor, cardinality: number, dim: number): Tensor {
  const table = ctx.param(`${name}.table`, [cardinality, dim], { kind: 'normal', std: 1 / Math.sqrt(dim) });
  return gather(table, indices);
}
