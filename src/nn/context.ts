/**
 * Building a network: the same code builds the training, evaluation and export graphs, so
 * parameters are declared through a context that records their definitions and hands back the
 * tensor that stands for them, which depends on where the values come from:
 * - 'inputs': one graph input per parameter (a first pass that only collects definitions);
 * - 'flat': slices of one flat input vector laid out by a ParamLayout (training and evaluation:
 *   the optimizer then updates one vector with a handful of large ops instead of many small ones);
 * - 'frozen': constants holding trained values (the exported model).
 */
import { GraphError } from '../errors.js';
import { greaterEqual, mul, reshape, slice, where, type Dim, type Graph, type Tensor } from '../graph/index.js';

export type Init =
  | { kind: 'glorot-uniform' }
  | { kind: 'he-uniform' }
  | { kind: 'normal'; std: number }
  | { kind: 'constant'; value: number };

export interface ParamDef {
  name: string;
  shape: number[];
  init: Init;
  /** Fan-in and fan-out for scaled initialisations (defaults from a 2-d shape). */
  fans?: [number, number];
}

export interface NoiseInput {
  name: string;
  shape: Dim[];
}

/** Where each parameter sits in the flat vector, in declaration order. */
export class ParamLayout {
  readonly offsets: number[] = [];
  readonly total: number;
  constructor(readonly defs: readonly ParamDef[]) {
    let at = 0;
    for (const d of defs) {
      this.offsets.push(at);
      at += d.shape.reduce((a, b) => a * b, 1);
    }
    this.total = at;
  }

  /** Per-parameter views of a flat vector. */
  split(flat: Float32Array): Map<string, Float32Array> {
    return new Map(this.defs.map((d, i) => [d.name, flat.subarray(this.offsets[i]!, this.offsets[i]! + d.shape.reduce((a, b) => a * b, 1))]));
  }

  join(values: ReadonlyMap<string, Float32Array>): Float32Array {
    const flat = new Float32Array(this.total);
    this.defs.forEach((d, i) => {
      const v = values.get(d.name);
      if (!v) throw new GraphError('missing-param', `no value for parameter '${d.name}'`, { name: d.name });
      flat.set(v, this.offsets[i]!);
    });
    return flat;
  }
}

export const FLAT_PARAMS = 'params';

export type ParamSource =
  | { kind: 'inputs' }
  | { kind: 'flat'; layout: ParamLayout }
  | { kind: 'frozen'; values: ReadonlyMap<string, Float32Array> };

export class BuildContext {
  readonly params: ParamDef[] = [];
  readonly paramTensors = new Map<string, Tensor>();
  /** Uniform [0,1) noise the trainer feeds each step for dropout; empty when not training. */
  readonly noiseInputs: NoiseInput[] = [];
  private flatInput: Tensor | undefined;

  constructor(
    readonly graph: Graph,
    readonly training: boolean,
    private readonly source: ParamSource = { kind: 'inputs' },
  ) {}

  /** The flat parameter vector input (flat mode only). */
  get flat(): Tensor {
    if (this.source.kind !== 'flat') throw new GraphError('not-flat', 'this graph has no flat parameter vector');
    this.flatInput ??= this.graph.input(FLAT_PARAMS, 'float32', [this.source.layout.total]);
    return this.flatInput;
  }

  param(name: string, shape: number[], init: Init, fans?: [number, number]): Tensor {
    if (this.paramTensors.has(name)) {
      throw new GraphError('duplicate-param', `parameter '${name}' is declared twice; give each layer a distinct name`, { name });
    }
    const index = this.params.length;
    this.params.push(fans ? { name, shape, init, fans } : { name, shape, init });
    const t = this.tensorFor(name, shape, index);
    this.paramTensors.set(name, t);
    return t;
  }

  private tensorFor(name: string, shape: number[], index: number): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    switch (this.source.kind) {
      case 'inputs':
        return this.graph.input(name, 'float32', shape);
      case 'flat': {
        const def = this.source.layout.defs[index];
        if (!def || def.name !== name || def.shape.join() !== shape.join()) {
          throw new GraphError('layout-mismatch', `parameter '${name}' [${shape}] does not match the layout (expected '${def?.name}' [${def?.shape}])`);
        }
        const at = this.source.layout.offsets[index]!;
        return reshape(slice(this.flat, 0, at, at + size), shape);
      }
      case 'frozen': {
        const values = this.source.values.get(name);
        if (!values || values.length !== size) {
          throw new GraphError('missing-param', `no value of ${size} elements for parameter '${name}'`, { name });
        }
        return this.graph.constant(values, 'float32', shape);
      }
    }
  }

  /** Inverted dropout; the identity outside training. The mask comes from fed noise, so runs repeat. */
  dropout(x: Tensor, rate: number): Tensor {
    if (!this.training || rate <= 0) return x;
    const name = `noise:${this.noiseInputs.length}`;
    const noise = this.graph.input(name, x.dtype, [...x.shape]);
    this.noiseInputs.push({ name, shape: [...x.shape] });
    return where(greaterEqual(noise, rate), mul(x, 1 / (1 - rate)), 0);
  }
}
