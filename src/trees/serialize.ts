/**
 * A TreeEnsemble as JSON and back, without loss: each tree's typed arrays as base64 of their
 * little-endian bytes (exact, and about a third the size of number lists). `parseEnsemble` checks
 * shapes and indices, so a damaged file is refused instead of predicting nonsense.
 */
import { z } from 'zod';
import { ModelError } from '../errors.js';
import type { Tree, TreeEnsemble } from './model.js';

type ArrayKind = 'i32' | 'f32' | 'u8';
const ARRAYS = { feature: 'i32', threshold: 'f32', catStart: 'i32', catCodes: 'i32', missingLeft: 'u8', left: 'i32', right: 'i32', values: 'f32', outputs: 'i32' } as const satisfies Record<keyof Tree, ArrayKind>;

const toBase64 = (a: Int32Array | Float32Array | Uint8Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromBase64(text: string, kind: ArrayKind): Int32Array | Float32Array | Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes);
  if (kind === 'u8') return copy;
  if (copy.byteLength % 4 !== 0) throw invalid('an array has a length that is not a multiple of 4 bytes');
  return kind === 'i32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
}

function invalid(message: string): ModelError {
  return new ModelError('trees-invalid', `the saved trees are invalid: ${message}; train the model again`);
}

export interface EnsembleJson {
  features: TreeEnsemble['features'];
  outputCount: number;
  tasks: TreeEnsemble['tasks'];
  base: number[];
  trees: Record<keyof Tree, string>[];
}

export function ensembleToJson(e: TreeEnsemble): EnsembleJson {
  return {
    features: e.features,
    outputCount: e.outputCount,
    tasks: e.tasks,
    base: Array.from(e.base),
    trees: e.trees.map((t) => Object.fromEntries(Object.keys(ARRAYS).map((k) => [k, toBase64(t[k as keyof Tree])])) as Record<keyof Tree, string>),
  };
}

const schema = z.object({
  features: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical']), cardinality: z.number().int().min(1).optional() })),
  outputCount: z.number().int().min(1),
  tasks: z.array(z.object({ name: z.string(), type: z.enum(['binary', 'multiclass', 'multilabel']), offset: z.number().int().min(0), width: z.number().int().min(1) })),
  base: z.array(z.number()),
  trees: z.array(z.object(Object.fromEntries(Object.keys(ARRAYS).map((k) => [k, z.string()])) as Record<keyof Tree, z.ZodString>)),
});

function checkTree(t: Tree, features: number, outputs: number): void {
  const n = t.feature.length;
  const same = [t.threshold, t.missingLeft, t.left, t.right].every((a) => a.length === n);
  if (!same || t.catStart.length !== n + 1 || t.values.length !== n * t.outputs.length) throw invalid('a tree has arrays of different lengths');
  if (t.catStart[n] !== t.catCodes.length) throw invalid('a tree has category lists that do not end with its codes');
  if (t.outputs.some((o) => o < 0 || o >= outputs)) throw invalid('a tree adds to an output the ensemble does not have');
  for (let i = 0; i < n; i++) {
    if (t.feature[i]! >= features) throw invalid(`a node splits on feature ${t.feature[i]} of ${features}`);
    // Children come after their parent, so every walk from the root ends at a leaf.
    if (t.feature[i]! >= 0 && !(t.left[i]! > i && t.left[i]! < n && t.right[i]! > i && t.right[i]! < n)) throw invalid('a node has a child outside the tree');
  }
}

export function parseEnsemble(json: unknown): TreeEnsemble {
  const r = schema.safeParse(json);
  if (!r.success) throw invalid(`${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
  const v = r.data;
  if (v.base.length !== v.outputCount) throw invalid(`${v.base.length} base scores for ${v.outputCount} outputs`);
  const trees = v.trees.map((t) => {
    const tree = Object.fromEntries(Object.entries(ARRAYS).map(([k, kind]) => [k, fromBase64(t[k as keyof Tree], kind)])) as unknown as Tree;
    checkTree(tree, v.features.length, v.outputCount);
    return tree;
  });
  return { features: v.features.map((f) => ({ ...f })), outputCount: v.outputCount, tasks: v.tasks, base: Float32Array.from(v.base), trees };
}
