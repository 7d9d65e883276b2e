/**
 * The network of a run: encoded feature inputs → architecture → per-task logits, and from them the
 * training losses or the output probabilities. Pure functions of a NetworkSpec, so the training,
 * evaluation and export graphs are built by the same code.
 */
import { getArchitecture } from '../arch/index.js';
import type { ArchInput, ArchOptions } from '../arch/architecture.js';
import { imageInputName } from '../features/image.js';
import { sigmoid, softmax, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import { binaryCrossEntropy, softmaxCrossEntropy } from '../nn/losses.js';

export const NUMERIC = 'numeric';
export const CATEGORICAL = 'categorical';

export interface NetworkTask {
  name: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  /** Classes (softmax) or labels (multi-label, sigmoid). */
  outputs: number;
  /** Per-class loss weights (single-label tasks). */
  classWeights?: number[];
}

export interface NetworkSpec {
  arch: string;
  archOptions: ArchOptions;
  numericWidth: number;
  fields: { name: string; cardinality: number }[];
  /** Image columns, each fed as float32 [batch, 3, height, width] under imageInputName(name); absent: none. */
  images?: { name: string; height: number; width: number }[];
  tasks: NetworkTask[];
  labelSmoothing: number;
}

export const labelInputs = (t: number) => ({ label: `label:${t}`, targets: `targets:${t}`, mask: `mask:${t}` });
export const probabilityOutput = (t: number): string => `prob:${t}`;

function inputs(ctx: BuildContext, spec: NetworkSpec): ArchInput {
  const g = ctx.graph;
  return {
    numeric: spec.numericWidth > 0 ? g.input(NUMERIC, 'float32', ['batch', spec.numericWidth]) : null,
    categorical: spec.fields.length > 0 ? g.input(CATEGORICAL, 'int64', ['batch', spec.fields.length]) : null,
    fields: spec.fields,
    images: (spec.images ?? []).map((i) => ({ ...i, tensor: g.input(imageInputName(i.name), 'float32', ['batch', 3, i.height, i.width]) })),
  };
}

export function logits(ctx: BuildContext, spec: NetworkSpec): Tensor[] {
  const heads = spec.tasks.map((t) => ({ name: t.name, outputs: t.outputs }));
  return getArchitecture(spec.arch).build(ctx, inputs(ctx, spec), heads, spec.archOptions);
}

/** One scalar loss per task; label inputs are declared here, after the features. */
export function trainingLosses(spec: NetworkSpec): (ctx: BuildContext) => Tensor[] {
  return (ctx) => {
    const out = logits(ctx, spec);
    return spec.tasks.map((task, t) => {
      const names = labelInputs(t);
      if (task.type === 'multilabel') {
        const targets = ctx.graph.input(names.targets, 'float32', ['batch', task.outputs]);
        return binaryCrossEntropy(out[t]!, targets, ctx.graph.input(names.mask, 'float32', ['batch']));
      }
      const options = { labelSmoothing: spec.labelSmoothing, ...(task.classWeights ? { classWeights: task.classWeights } : {}) };
      return softmaxCrossEntropy(out[t]!, ctx.graph.input(names.label, 'int64', ['batch']), options);
    });
  };
}

/** Probabilities per task: softmax over classes, or a sigmoid per label. */
export function probabilities(spec: NetworkSpec): (ctx: BuildContext) => Record<string, Tensor> {
  return (ctx) => {
    const out = logits(ctx, spec);
    return Object.fromEntries(spec.tasks.map((task, t) => [probabilityOutput(t), task.type === 'multilabel' ? sigmoid(out[t]!) : softmax(out[t]!, -1)]));
  };
}
