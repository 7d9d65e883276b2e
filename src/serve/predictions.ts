/** Predictions as each protocol answers them: row objects (/invocations, /v1/predict) or V2 output tensors. */
import type { TaskPrediction } from '../bundle/model.js';
import type { ModelMetadata } from '../bundle/metadata.js';
import { badRequest } from './request-error.js';
import { V2_DATATYPE, type OnnxSignature } from './signature.js';

export type RowPrediction = Record<string, { label?: string; labels?: string[]; probabilities: Record<string, number> }>;

export function rowPredictions(meta: ModelMetadata, predictions: TaskPrediction[], rows: number): RowPrediction[] {
  const out: RowPrediction[] = Array.from({ length: rows }, () => ({}));
  predictions.forEach((p, t) => {
    const classes = meta.tasks[t]!.classes;
    const k = classes.length;
    for (let r = 0; r < rows; r++) {
      const probabilities: Record<string, number> = {};
      classes.forEach((c, j) => (probabilities[c] = p.probabilities[r * k + j]!));
      if (p.labels instanceof BigInt64Array) {
        const labels = p.labels;
        out[r]![p.task] = { labels: classes.filter((_c, j) => labels[r * k + j] === 1n), probabilities };
      } else out[r]![p.task] = { label: p.labels[r]!, probabilities };
    }
  });
  return out;
}

export interface V2Output {
  name: string;
  datatype: string;
  shape: number[];
  data: Array<number | string>;
}

export function v2Outputs(meta: ModelMetadata, signature: OnnxSignature, predictions: TaskPrediction[], rows: number, wanted?: string[]): V2Output[] {
  const all = new Map<string, V2Output>();
  predictions.forEach((p, t) => {
    const names = meta.onnx.outputs[t]!;
    for (const [name, data] of [
      [names.probabilities, Array.from(p.probabilities)],
      [names.label, p.labels instanceof BigInt64Array ? Array.from(p.labels, Number) : p.labels],
    ] as const) {
      const sig = signature.outputs.find((o) => o.name === name)!;
      all.set(name, { name, datatype: V2_DATATYPE[sig.dtype], shape: sig.shape.map((d) => (d === -1 ? rows : d)), data });
    }
  });
  if (!wanted) return [...all.values()];
  return wanted.map((name) => {
    const o = all.get(name);
    if (!o) throw badRequest('unknown-output', `output '${name}' is not an output of this model; outputs: ${[...all.keys()].join(', ')}`);
    return o;
  });
}
