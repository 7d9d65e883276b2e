/**
 * A member's probabilities on raw rows, through the member's own ONNX graph: the same path the
 * saved model takes, whatever kind the member is, so what the fusion is fitted on is what the fused
 * model.onnx combines.
 */
import type { MemberOnnx } from '../bundle/export-onnx.js';
import type { Task } from '../data/schema.js';
import type { Table } from '../data/table.js';
import { imageValues, modelInputsOf, rawColumnValues, type FeaturePlan } from '../features/index.js';
import { encodeModel, makeValueInfo } from '../graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor } from '../runtime/session.js';
import type { PreparedData } from '../train/prepare.js';

const CHUNK = 8192;
/** Rows per run with image inputs, whose files are decoded a chunk at a time. */
const IMAGE_CHUNK = 256;

export interface MemberPredictor {
  /** Per task, [rows × classes] of `rows` of `table` (all rows when omitted). */
  predict(table: Table, rows: Int32Array | null): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export async function memberPredictor(member: MemberOnnx, plan: FeaturePlan, tasks: readonly Task[], threads: number): Promise<MemberPredictor> {
  const bytes = encodeModel({
    name: 'member',
    nodes: member.nodes,
    initializers: member.initializers,
    inputs: member.inputs,
    outputs: member.probabilities.map((p, t) => makeValueInfo(p, 'float32', ['batch', tasks[t]!.classes.length])),
  });
  const inputs = modelInputsOf(plan, member.inputs).map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape }));
  const session = await CompiledModel.create(bytes, inputs, { threads });
  return {
    async predict(table, rows) {
      const values = rawColumnValues(table, plan, rows ?? undefined);
      const n = rows ? rows.length : table.rowCount;
      const chunk = inputs.some((i) => i.dtype === 'uint8') ? IMAGE_CHUNK : CHUNK;
      const out = tasks.map((t) => new Float32Array(n * t.classes.length));
      for (let start = 0; start < n; start += chunk) {
        const end = Math.min(n, start + chunk);
        const feeds: Record<string, RuntimeTensor> = {};
        for (const v of values) {
          feeds[v.name] = v.dtype === 'float32' ? makeTensor('float32', v.values.subarray(start, end), [end - start, 1]) : makeTensor('string', v.values.slice(start, end), [end - start, 1]);
        }
        const chunkRows = rows ? rows.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i);
        for (const image of await imageValues(table, plan, chunkRows, inputs)) feeds[image.name] = makeTensor('uint8', image.values, [end - start, ...image.shape]);
        const res = await session.run(feeds);
        member.probabilities.forEach((p, t) => out[t]!.set(tensorData(res[p]!) as Float32Array, start * tasks[t]!.classes.length));
      }
      return out;
    },
    release: () => session.release(),
  };
}

/** Member `onnx`'s probabilities on `rows` of `table` (all rows when null). */
export async function predictOn(onnx: MemberOnnx, p: PreparedData, table: Table, rows: Int32Array | null, threads: number): Promise<Float32Array[]> {
  const predictor = await memberPredictor(onnx, p.plan, p.schema.tasks, threads);
  try {
    return await predictor.predict(table, rows);
  } finally {
    await predictor.release();
  }
}

/** Member `onnx`'s probabilities on `rows` of the run's table, and on the test rows (null without them). */
export async function predictFitAndTest(onnx: MemberOnnx, p: PreparedData, rows: Int32Array, threads: number): Promise<{ fit: Float32Array[]; test: Float32Array[] | null }> {
  const predictor = await memberPredictor(onnx, p.plan, p.schema.tasks, threads);
  try {
    const test = p.rows.test ? await predictor.predict(p.rows.test.table, p.rows.test.rows) : null;
    return { fit: await predictor.predict(p.table, rows), test };
  } finally {
    await predictor.release();
  }
}
