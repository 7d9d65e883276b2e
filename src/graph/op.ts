/**
 * An op is one definition: shape inference, ONNX emission, and its vector-Jacobian product written
 * with other ops. Every op registers itself here by name.
 */
import { GraphError } from '../errors.js';
import type { Attrs, DType, Node, Tensor } from './graph.js';
import type { AttrValue } from './onnx-proto.js';
import type { Shape } from './shape.js';

export interface OutSpec {
  dtype: DType;
  shape: Shape;
}

/** What an op's emitter may do: add ONNX nodes and constants, and name the values it reads. */
export interface EmitContext {
  name(t: Tensor): string;
  /** Emits an ONNX node; returns its output names. */
  node(opType: string, inputs: string[], attrs?: Record<string, AttrValue>, outputs?: string[], domain?: string): string[];
  /** An int64 constant (axes, shapes, pads), shared when equal. */
  ints(values: number[], scalar?: boolean): string;
  /** A scalar constant of a dtype. */
  scalar(value: number, dtype: DType): string;
}

export interface OpDef {
  /** Output dtypes and shapes; throws GraphError naming the op and the shapes on mismatch. */
  infer(inputs: Tensor[], attrs: Attrs): OutSpec[];
  emit(e: EmitContext, node: Node): void;
  /**
   * One gradient per input given the gradients of the outputs (null where an output got none).
   * Absent for ops that are not differentiable (comparisons, shape queries).
   */
  vjp?(node: Node, grads: Array<Tensor | null>): Array<Tensor | null>;
}

const registry = new Map<string, OpDef>();

export function defineOp(name: string, def: OpDef): void {
  if (registry.has(name)) throw new Error(`op '${name}' defined twice`);
  registry.set(name, def);
}

export function opDef(name: string): OpDef {
  const def = registry.get(name);
  if (!def) throw new GraphError('unknown-op', `unknown op '${name}'; known ops: ${[...registry.keys()].join(', ')}`);
  return def;
}

export function registeredOps(): string[] {
  return [...registry.keys()];
}

export function apply(op: string, inputs: Tensor[], attrs: Attrs = {}): Tensor[] {
  if (inputs.length === 0) throw new GraphError('no-inputs', `${op}: needs at least one input`);
  const outs = opDef(op).infer(inputs, attrs);
  return inputs[0]!.graph.addNode(op, inputs, attrs, outs);
}

export function apply1(op: string, inputs: Tensor[], attrs: Attrs = {}): Tensor {
  return apply(op, inputs, attrs)[0]!;
}

export function requireFloat(op: string, ...ts: Tensor[]): void {
  for (const t of ts) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') {
      throw new GraphError('dtype-mismatch', `${op}: expects a float tensor, got ${t}`, { op });
    }
  }
}

export function requireSameDType(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new GraphError('dtype-mismatch', `${op}: dtypes differ: ${a} and ${b}; cast one of them first`, { op });
  }
}
