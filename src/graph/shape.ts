/** Shapes with symbolic dimensions: a dimension is a size or a name such as 'batch'. */
import { GraphError } from '../errors.js';
import type { Dim } from './onnx-proto.js';

export type { Dim };
export type Shape = readonly Dim[];

export function shapeToString(s: Shape): string {
  return `[${s.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isStatic(s: Shape): s is readonly number[] {
  return s.every((d) => typeof d === 'number');
}

export function sizeOfStatic(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

/** Numpy broadcasting; a named dimension only matches itself or 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else {
      throw new GraphError(
        'shape-mismatch',
        `${op}: shapes ${shapeToString(a)} and ${shapeToString(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`,
        { op, shapes: [a, b] },
      );
    }
  }
  return out;
}

/** Normalise possibly negative axes against a rank, refusing ones out of range. */
export function normAxes(op: string, axes: readonly number[], rank: number): number[] {
  return axes.map((a) => {
    const n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) throw new GraphError('bad-axis', `${op}: axis ${a} is out of range for rank ${rank}`, { op, axis: a, rank });
    return n;
  });
}
