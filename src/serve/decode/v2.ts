/**
 * Open Inference Protocol (KServe v2) request bodies: one input tensor per raw column, shape [n] or
 * [n, 1], `BYTES` for categories and text, `FP32`/`FP64` for numbers; `data` flat (row-major) or
 * nested as the shape says. null stands for a missing value.
 */
import { checkColumnNames, checkRowCount, emptyBatch, numberCell, stringCell, type ColumnBatch, type ColumnRules } from '../columns.js';
import { badRequest } from '../request-error.js';

export interface V2Request {
  id?: string;
  batch: ColumnBatch;
  /** Output names asked for, or all when the request names none. */
  outputs?: string[];
}

const NUMBER_TYPES = new Set(['FP32', 'FP64']);

interface Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

function readTensor(raw: unknown, i: number): Tensor {
  const t = raw as Partial<Tensor> | null;
  if (typeof t !== 'object' || t === null || typeof t.name !== 'string') throw badRequest('bad-body', `inputs[${i}] must be an object with a string 'name'`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw badRequest('bad-body', `input '${t.name}': 'shape' must be an array of non-negative integers`);
  }
  if (typeof t.datatype !== 'string') throw badRequest('bad-body', `input '${t.name}': 'datatype' must be a string such as "FP32" or "BYTES"`);
  if (!Array.isArray(t.data)) throw badRequest('bad-body', `input '${t.name}': 'data' must be an array`);
  return t as Tensor;
}

/** Row-major elements of `data`, flat or nested exactly as `shape` says. */
function flatten(t: Tensor): unknown[] {
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length === n && !t.data.some(Array.isArray)) return t.data;
  if (t.shape.length === 2 && t.data.length === t.shape[0]) {
    const out: unknown[] = [];
    for (const row of t.data) {
      if (!Array.isArray(row) || row.length !== t.shape[1] || row.some(Array.isArray)) break;
      out.push(...(row as unknown[]));
    }
    if (out.length === n) return out;
  }
  throw badRequest('bad-shape', `input '${t.name}': 'data' must hold ${n} values for shape [${t.shape.join(', ')}], flat or nested as the shape`);
}

export function decodeV2(body: unknown, rules: ColumnRules): V2Request {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('bad-body', 'the body must be a JSON object {"inputs": [...]}');
  const { id, inputs, outputs } = body as { id?: unknown; inputs?: unknown; outputs?: unknown };
  if (id !== undefined && typeof id !== 'string') throw badRequest('bad-body', "'id' must be a string");
  if (!Array.isArray(inputs)) throw badRequest('bad-body', "'inputs' must be an array of tensors, one per column");
  const tensors = inputs.map(readTensor);
  const names = tensors.map((t) => t.name);
  if (new Set(names).size !== names.length) throw badRequest('bad-body', 'an input is named twice');
  checkColumnNames(names, rules);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const first = byName.get(rules.inputs[0]!.name)!;
  const rows = first.shape[0] ?? 0;
  checkRowCount(rows, rules);
  const batch = emptyBatch(rows, rules.inputs);
  rules.inputs.forEach((input, j) => {
    const t = byName.get(input.name)!;
    const shapeOk = (t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)) && t.shape[0] === rows;
    if (!shapeOk) throw badRequest('bad-shape', `input '${t.name}': shape must be [${rows}] or [${rows}, 1] (one value per row, as '${first.name}'), got [${t.shape.join(', ')}]`);
    const numeric = input.dtype === 'float32';
    if (numeric ? !NUMBER_TYPES.has(t.datatype) : t.datatype !== 'BYTES') {
      throw badRequest('bad-datatype', `input '${t.name}': datatype must be ${numeric ? 'FP32 or FP64' : 'BYTES'}, got ${t.datatype}`);
    }
    const data = flatten(t);
    const base = rules.slots[j]! * rows;
    for (let r = 0; r < rows; r++) {
      const where = (): string => `input '${t.name}', element ${r}`;
      const v = data[r];
      if (numeric) batch.numbers[base + r] = numberCell(v, rules, where, false);
      else if (v === null || typeof v === 'string') batch.strings[base + r] = stringCell(v, rules, where);
      else throw badRequest('bad-value', `${where()}: BYTES data must be strings or null, got a ${Array.isArray(v) ? 'array' : typeof v}`);
    }
  });
  let wanted: string[] | undefined;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs) || !outputs.every((o) => typeof (o as { name?: unknown })?.name === 'string')) {
      throw badRequest('bad-body', "'outputs' must be an array of {\"name\": ...}");
    }
    wanted = outputs.map((o) => (o as { name: string }).name);
  }
  return { ...(id !== undefined ? { id } : {}), batch, ...(wanted ? { outputs: wanted } : {}) };
}
