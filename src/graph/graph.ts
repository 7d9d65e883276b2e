/**
 * The graph IR: symbolic tensors and nodes as plain data `{op, inputs, attrs}` kept in insertion
 * order, so emitted ONNX is byte-stable. Ops are looked up by name in the registry (op.ts).
 */
import { GraphError } from '../errors.js';
import type { OnnxDType } from './onnx-proto.js';
import type { Dim, Shape } from './shape.js';
import { shapeToString } from './shape.js';

/** Image pixels enter as uint8 only in the exported model's preprocessing, never in the engine. */
export type DType = Exclude<OnnxDType, 'string' | 'int32' | 'uint8'>;
export type Attrs = Record<string, unknown>;

export type ValueKind =
  | { kind: 'input'; name: string }
  | { kind: 'const'; data: ArrayLike<number> }
  | { kind: 'node'; node: Node; index: number };

export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly source: ValueKind,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `${this.dtype}${shapeToString(this.shape)}`;
  }
}

export interface Node {
  op: string;
  inputs: Tensor[];
  attrs: Attrs;
  outputs: Tensor[];
}

export interface OutputBinding {
  name: string;
  tensor: Tensor;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly outputs: OutputBinding[] = [];
  readonly constants: Tensor[] = [];
  private nextId = 0;
  private readonly scalarCache = new Map<string, Tensor>();

  input(name: string, dtype: DType, shape: Dim[]): Tensor {
    if (this.inputs.some((t) => (t.source as { name: string }).name === name)) {
      throw new GraphError('duplicate-input', `graph already has an input named '${name}'`, { name });
    }
    const t = new Tensor(this, this.nextId++, dtype, [...shape], { kind: 'input', name });
    this.inputs.push(t);
    return t;
  }

  /** A constant tensor, stored as an initializer. Scalars are shared. */
  constant(data: ArrayLike<number> | number, dtype: DType = 'float32', shape?: Dim[]): Tensor {
    if (typeof data === 'number') {
      const key = `${dtype}:${Object.is(data, -0) ? '-0' : data}:${shape ? shape.join('x') : ''}`;
      const hit = this.scalarCache.get(key);
      if (hit) return hit;
      const t = this.makeConst([data], dtype, shape ?? []);
      this.scalarCache.set(key, t);
      return t;
    }
    return this.makeConst(Array.from(data), dtype, shape ?? [data.length]);
  }

  private makeConst(data: number[], dtype: DType, shape: Dim[]): Tensor {
    const t = new Tensor(this, this.nextId++, dtype, shape, { kind: 'const', data });
    this.constants.push(t);
    return t;
  }

  /** Called by op application only; ops build nodes through `apply` in op.ts. */
  addNode(op: string, inputs: Tensor[], attrs: Attrs, outs: Array<{ dtype: DType; shape: Shape }>): Tensor[] {
    for (const t of inputs) {
      if (t.graph !== this) throw new GraphError('foreign-tensor', `${op}: an input belongs to another graph`, { op });
    }
    const node: Node = { op, inputs, attrs, outputs: [] };
    node.outputs = outs.map((o, index) => new Tensor(this, this.nextId++, o.dtype, o.shape, { kind: 'node', node, index }));
    this.nodes.push(node);
    return node.outputs;
  }

  output(name: string, tensor: Tensor): void {
    if (this.outputs.some((o) => o.name === name)) {
      throw new GraphError('duplicate-output', `graph already has an output named '${name}'`, { name });
    }
    this.outputs.push({ name, tensor });
  }

  inputNamed(name: string): Tensor | undefined {
    return this.inputs.find((t) => (t.source as { name: string }).name === name);
  }
}

export function inputName(t: Tensor): string {
  if (t.source.kind !== 'input') throw new GraphError('not-an-input', `tensor ${t} is not a graph input`);
  return t.source.name;
}
