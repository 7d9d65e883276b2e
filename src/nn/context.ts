/**
 * Building a network: the same code builds the training, evaluation and export graphs, so
 * parameters are declared through a context that records their definitions and hands back the
 * graph input that stands for them.
 */
import { GraphError } from '../errors.js';
import { greaterEqual, mul, where, type Dim, type Graph, type Tensor } from '../graph/index.js';

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

export class BuildContext {
  readonly params: ParamDef[] = [];
  readonly paramTensors = new Map<string, Tensor>();
  /** Uniform [0,1) noise the trainer feeds each step for dropout; empty when not training. */
  readonly noiseInputs: NoiseInput[] = [];

  /**
   * With `frozen` values, parameters become constants of the graph (the exported model);
   * without, they are inputs (training and evaluation graphs).
   */
  constructor(
    readonly graph: Graph,
    readonly training: boolean,
    private readonly frozen?: ReadonlyMap<string, Float32Array>,
  ) {}

  param(name: string, shape: number[], init: Init, fans?: [number, number]): Tensor {
    if (this.paramTensors.has(name)) {
      throw new GraphError('duplicate-param', `parameter '${name}' is declared twice; give each layer a distinct name`, { name });
    }
    const t = this.frozen ? this.frozenValue(name, shape) : this.graph.input(name, 'float32', shape);
    this.params.push(fans ? { name, shape, init, fans } : { name, shape, init });
    this.paramTensors.set(name, t);
    return t;
  }

  private frozenValue(name: string, shape: number[]): Tensor {
    const values = this.frozen!.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!values || values.length !== size) {
      throw new GraphError('missing-param', `no value of ${size} elements for parameter '${name}'`, { name });
    }
    return this.graph.constant(values, 'float32', shape);
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
