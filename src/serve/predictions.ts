/**
 * Predictions as each protocol answers them, written as JSON text straight from the run's arrays:
 * row objects (/invocations, /v1/predict) or V2 output tensors. A model's names (tasks, classes,
 * outputs) are escaped once when it loads, so an answer is numbers and labels joined into a string,
 * with no objects built per row and no generic serializer walking them. The text is what
 * JSON.stringify would write for the same values (non-finite numbers as null).
 */
import type { ModelMetadata } from '../bundle/metadata.js';
import type { PredictionRows } from './batcher.js';
import { badRequest } from './request-error.js';
import { V2_DATATYPE, type OnnxSignature } from './signature.js';

const json = (v: unknown): string => JSON.stringify(v);
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

interface TaskText {
  /** `"task":{` */
  open: string;
  classes: string[];
  /** `"class":` per class. */
  classKeys: string[];
  /** The JSON text of each class name, by class index (as the worker sends labels). */
  labelText: string[];
}

interface V2OutputText {
  name: string;
  task: number;
  kind: 'probabilities' | 'label';
  /** `{"name":...,"datatype":...,"shape":` */
  open: string;
  /** The shape as the file declares it, -1 for the batch. */
  shape: number[];
}

export class AnswerWriter {
  private readonly tasks: TaskText[];
  private readonly outputs: V2OutputText[];

  constructor(meta: ModelMetadata, signature: OnnxSignature) {
    this.tasks = meta.tasks.map((t) => ({
      open: `${json(t.name)}:{`,
      classes: t.classes,
      classKeys: t.classes.map((c) => `${json(c)}:`),
      labelText: t.classes.map(json),
    }));
    this.outputs = meta.onnx.outputs.flatMap((o, task) =>
      (['probabilities', 'label'] as const).map((kind) => {
        const name = o[kind];
        const sig = signature.outputs.find((s) => s.name === name)!;
        return { name, task, kind, open: `{"name":${json(name)},"datatype":${json(V2_DATATYPE[sig.dtype])},"shape":`, shape: sig.shape };
      }),
    );
  }

  /** `{"predictions":[{task: {label, probabilities: {class: p}}}, ...]}`, one object per row. */
  rows({ predictions, start, rows }: PredictionRows): string {
    let out = '{"predictions":[';
    for (let r = start; r < start + rows; r++) {
      out += r > start ? ',{' : '{';
      for (let t = 0; t < this.tasks.length; t++) {
        const task = this.tasks[t]!;
        const p = predictions[t]!;
        const k = task.classes.length;
        out += t > 0 ? `,${task.open}` : task.open;
        if (p.labels instanceof BigInt64Array) {
          const on: string[] = [];
          for (let j = 0; j < k; j++) if (p.labels[r * k + j] === 1n) on.push(task.labelText[j]!);
          out += `"labels":[${on.join(',')}],"probabilities":{`;
        } else out += `"label":${task.labelText[p.labels[r]!]!},"probabilities":{`;
        for (let j = 0; j < k; j++) out += `${j > 0 ? ',' : ''}${task.classKeys[j]}${num(p.probabilities[r * k + j]!)}`;
        out += '}}';
      }
      out += '}';
    }
    return `${out}]}`;
  }

  /** Refuses output names the model does not have, before any run. */
  checkOutputs(wanted: readonly string[] | undefined): void {
    for (const name of wanted ?? []) {
      if (!this.outputs.some((o) => o.name === name)) {
        throw badRequest('unknown-output', `output '${name}' is not an output of this model; outputs: ${this.outputs.map((o) => o.name).join(', ')}`);
      }
    }
  }

  /** The Open Inference Protocol answer: every output (or those asked for, in their order) as a tensor. */
  v2(model: string, id: string | undefined, { predictions, start, rows }: PredictionRows, wanted?: readonly string[]): string {
    const chosen = wanted ? wanted.map((name) => this.outputs.find((o) => o.name === name)!) : this.outputs;
    const tensors = chosen.map((o) => {
      const p = predictions[o.task]!;
      const k = this.tasks[o.task]!.classes.length;
      let data = '';
      if (o.kind === 'probabilities') for (let i = start * k; i < (start + rows) * k; i++) data += `${i > start * k ? ',' : ''}${num(p.probabilities[i]!)}`;
      else if (p.labels instanceof BigInt64Array) for (let i = start * k; i < (start + rows) * k; i++) data += `${i > start * k ? ',' : ''}${Number(p.labels[i])}`;
      else for (let r = start; r < start + rows; r++) data += `${r > start ? ',' : ''}${this.tasks[o.task]!.labelText[p.labels[r]!]!}`;
      return `${o.open}[${o.shape.map((d) => (d === -1 ? rows : d)).join(',')}],"data":[${data}]}`;
    });
    return `{"model_name":${json(model)},"model_version":"1",${id !== undefined ? `"id":${json(id)},` : ''}"outputs":[${tensors.join(',')}]}`;
  }
}
