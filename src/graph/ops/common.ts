/** Small pieces every op file uses. */
import type { Node, Tensor } from '../graph.js';
import type { EmitContext } from '../op.js';
import type { AttrValue } from '../onnx-proto.js';

/** Emitter for ops that map one-to-one onto an ONNX op with the same inputs and outputs. */
export function direct(onnxOp: string, attrs?: (node: Node) => Record<string, AttrValue>) {
  return (e: EmitContext, node: Node): void => {
    e.node(onnxOp, node.inputs.map((t) => e.name(t)), attrs ? attrs(node) : {}, node.outputs.map((t) => e.name(t)));
  };
}

export type Operand = Tensor | number;

/** Lift a JS number to a scalar constant of the other operand's dtype. */
export function lift(x: Operand, like: Tensor): Tensor {
  return typeof x === 'number' ? like.graph.constant(x, like.dtype) : x;
}

export function out(node: Node, i = 0): Tensor {
  return node.outputs[i]!;
}

export function inp(node: Node, i: number): Tensor {
  return node.inputs[i]!;
}
