/**
 * What the browser page needs to build its form and read the model's outputs, taken from the model
 * folder's metadata (the fitted plan and the tasks), never from the network spec: a select per
 * categorical column (its training vocabulary), a number field per numeric one (the training median
 * as a start), a text field for text and dates.
 */
import type { ModelMetadata } from '../bundle/metadata.js';
import type { FeaturePlan } from '../features/index.js';

export interface PageField {
  name: string;
  dtype: 'float32' | 'string';
  kind: 'numeric' | 'categorical' | 'text' | 'datetime';
  choices?: string[];
  start?: number;
}

export interface PageSpec {
  name: string;
  fields: PageField[];
  tasks: Array<{ name: string; type: string; classes: string[]; probabilities: string; label: string }>;
}

export interface PageModel {
  name: string;
  dir: string;
  meta: ModelMetadata;
  plan: FeaturePlan;
}

export function pageSpec({ name, meta, plan }: PageModel): PageSpec {
  const fields = meta.onnx.inputs.map((input): PageField => {
    const numeric = plan.numeric.find((s) => s.column === input.name);
    // The median is stored as float32: shown to 6 digits, not as 0.00889999978.
    if (numeric) return { name: input.name, dtype: 'float32', kind: 'numeric', start: Number(numeric.fill.toPrecision(6)) };
    const category = plan.categorical.find((s) => s.column === input.name);
    if (category) return { name: input.name, dtype: 'string', kind: 'categorical', choices: category.vocabulary };
    const datetime = plan.datetime.some((s) => s.column === input.name);
    // Models with image inputs are refused before a page is made (served-model.ts).
    return { name: input.name, dtype: input.dtype as 'string', kind: datetime ? 'datetime' : 'text' };
  });
  const tasks = meta.tasks.map((t, i) => ({ name: t.name, type: t.type, classes: t.classes, probabilities: meta.onnx.outputs[i]!.probabilities, label: meta.onnx.outputs[i]!.label }));
  return { name, fields, tasks };
}
