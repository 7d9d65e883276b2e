/**
 * Shared fixtures for the architecture tests: a tiny synthetic table (5 numeric columns, two
 * categorical fields, optionally an 8 × 8 image whose brightness follows the first column) with three tasks — a 3-class task, a binary task and a 3-label multi-label
 * task — and helpers that train an architecture through the step graph and run its forward graphs.
 */
import { emitOnnx, Graph, type Tensor } from '../../src/graph/index.js';
import type { ArchInput, ArchOptions, Architecture, TaskHead } from '../../src/arch/index.js';
import { BuildContext, type ParamLayout } from '../../src/nn/context.js';
import { initParams } from '../../src/nn/init.js';
import { binaryCrossEntropy, softmaxCrossEntropy } from '../../src/nn/losses.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor } from '../../src/runtime/session.js';
import { Forward } from '../../src/train/forward.js';
import { adam } from '../../src/train/optimizers/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { Random } from '../../src/util/random.js';

export const NUMERIC = 5;
export const FIELDS = [
  { name: 'color', cardinality: 4 },
  { name: 'city', cardinality: 7 },
];
export const TASKS: TaskHead[] = [
  { name: 'kind', outputs: 3 },
  { name: 'flag', outputs: 2 },
  { name: 'tags', outputs: 3 },
];
export const OPTIONS: ArchOptions = {
  hidden: [16, 12],
  towerHidden: [8],
  dropout: 0.1,
  layerNorm: true,
  activation: 'relu',
  experts: 3,
  sharedExperts: 2,
  taskExperts: 1,
  levels: 2,
};

/** The optional image input: float32 [batch, 3, 8, 8] under the network's image input name. */
export const IMAGE = { name: 'photo', height: 8, width: 8 };
const IMAGE_INPUT = `image:${IMAGE.name}`;
const PIXELS = 3 * IMAGE.height * IMAGE.width;

export interface Data {
  rows: number;
  image?: Float32Array;
  numeric: Float32Array;
  categorical: BigInt64Array;
  kind: BigInt64Array;
  flag: BigInt64Array;
  tags: Float32Array;
}

export function synthetic(rows: number, seed: number, withImage = false): Data {
  const r = new Random(seed);
  const d: Data = {
    rows,
    numeric: new Float32Array(rows * NUMERIC),
    categorical: new BigInt64Array(rows * 2),
    kind: new BigInt64Array(rows),
    flag: new BigInt64Array(rows),
    tags: new Float32Array(rows * 3),
  };
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: NUMERIC }, () => r.normal());
    d.numeric.set(x, i * NUMERIC);
    const color = r.int(4);
    const city = r.int(7);
    d.categorical[2 * i] = BigInt(color);
    d.categorical[2 * i + 1] = BigInt(city);
    const s = [x[0]! + (color === 1 ? 1.5 : 0), x[1]! - x[0]!, x[2]! + (city >= 4 ? 0.8 : -0.8)];
    d.kind[i] = BigInt(s.indexOf(Math.max(...s)));
    d.flag[i] = x[0]! + x[3]! + (city % 2 === 0 ? 0.5 : -0.5) > 0 ? 1n : 0n;
    d.tags.set([x[1]! > 0 ? 1 : 0, color === 2 ? 1 : 0, x[2]! + x[4]! > 0 ? 1 : 0], i * 3);
  }
  if (withImage) {
    d.image = new Float32Array(rows * PIXELS);
    for (let i = 0; i < rows; i++) {
      const x0 = d.numeric[i * NUMERIC]!;
      for (let k = 0; k < PIXELS; k++) d.image[i * PIXELS + k] = (k % 5 === 0 ? x0 : 0) + 0.3 * r.normal();
    }
  }
  return d;
}

export function archInput(g: Graph, withImage = false): ArchInput {
  const input: ArchInput = { numeric: g.input('numeric', 'float32', ['batch', NUMERIC]), categorical: g.input('categorical', 'int64', ['batch', 2]), fields: FIELDS };
  if (withImage) input.images = [{ ...IMAGE, tensor: g.input(IMAGE_INPUT, 'float32', ['batch', 3, IMAGE.height, IMAGE.width]) }];
  return input;
}

/** The training build: the architecture's logits turned into one loss per task. */
export function lossBuild(arch: Architecture, options: ArchOptions = OPTIONS, withImage = false) {
  return (ctx: BuildContext): Tensor[] => {
    const g = ctx.graph;
    const [kind, flag, tags] = arch.build(ctx, archInput(g, withImage), TASKS, options) as [Tensor, Tensor, Tensor];
    return [
      softmaxCrossEntropy(kind, g.input('y:kind', 'int64', ['batch'])),
      softmaxCrossEntropy(flag, g.input('y:flag', 'int64', ['batch'])),
      binaryCrossEntropy(tags, g.input('y:tags', 'float32', ['batch', 3]), g.input('mask:tags', 'float32', ['batch'])),
    ];
  };
}

export function inputFeeds(d: Data, start: number, size: number): Record<string, RuntimeTensor> {
  return {
    numeric: makeTensor('float32', d.numeric.slice(start * NUMERIC, (start + size) * NUMERIC), [size, NUMERIC]),
    categorical: makeTensor('int64', d.categorical.slice(start * 2, (start + size) * 2), [size, 2]),
    ...(d.image ? { [IMAGE_INPUT]: makeTensor('float32', d.image.slice(start * PIXELS, (start + size) * PIXELS), [size, 3, IMAGE.height, IMAGE.width]) } : {}),
  };
}

function batchFeeds(d: Data, start: number, size: number): Record<string, RuntimeTensor> {
  return {
    ...inputFeeds(d, start, size),
    'y:kind': makeTensor('int64', d.kind.slice(start, start + size), [size]),
    'y:flag': makeTensor('int64', d.flag.slice(start, start + size), [size]),
    'y:tags': makeTensor('float32', d.tags.slice(start * 3, (start + size) * 3), [size, 3]),
    'mask:tags': makeTensor('float32', new Float32Array(size).fill(1), [size]),
  };
}

export interface TrainRun {
  layout: ParamLayout;
  init: Map<string, Float32Array>;
  afterFirst: Map<string, Float32Array>;
  final: Map<string, Float32Array>;
  /** Summed task losses of the very first step (before any update) and per epoch (mean). */
  firstLoss: number;
  epochLoss: number[];
  trainable: Trainable;
  options: ArchOptions;
}

export interface TrainSettings {
  seed?: number;
  epochs?: number;
  lr?: number;
  weights?: number[];
  options?: ArchOptions;
  data?: Data;
  /** Add the image input (and train on data that has images). */
  image?: boolean;
}

/** Adam through the compiled step graph; the caller releases `trainable`. */
export async function train(arch: Architecture, s: TrainSettings = {}): Promise<TrainRun> {
  const spec = { optimizer: adam(), build: lossBuild(arch, s.options, s.image ?? false) };
  const rng = new Random(s.seed ?? 1);
  const layout = paramLayout(spec.build);
  const init = initParams(layout.defs, rng);
  const trainable = await Trainable.create(spec, init, { threads: 1 });
  const data = s.data ?? synthetic(256, 5, s.image ?? false);
  const weights = Float32Array.from(s.weights ?? [1, 1, 1]);
  const B = 32;
  let afterFirst = init;
  let firstLoss = NaN;
  const epochLoss: number[] = [];
  for (let e = 0; e < (s.epochs ?? 1); e++) {
    let sum = 0;
    let steps = 0;
    for (let start = 0; start + B <= data.rows; start += B) {
      const res = await trainable.run(batchFeeds(data, start, B), s.lr ?? 0.01, weights, rng);
      const total = res.losses.reduce((a, b) => a + b, 0);
      if (steps === 0 && e === 0) {
        firstLoss = total;
        afterFirst = trainable.parameters();
      }
      sum += total;
      steps++;
    }
    epochLoss.push(sum / steps);
  }
  return { layout, init, afterFirst, final: trainable.parameters(), firstLoss, epochLoss, trainable, options: s.options ?? OPTIONS };
}

/** Logits per task from the evaluation graph (flat parameters, no dropout), as Forward builds it. */
export async function evalLogits(arch: Architecture, run: TrainRun, d: Data): Promise<{ data: Float32Array; dims: readonly number[] }[]> {
  const fwd = await Forward.create((ctx) => logitOutputs(arch, ctx, run.options, d.image !== undefined), run.layout, { threads: 1 });
  const out = await fwd.run(inputFeeds(d, 0, d.rows), run.trainable.parameterTensors());
  await fwd.release();
  return TASKS.map((t) => ({ data: tensorData(out[t.name]!) as Float32Array, dims: out[t.name]!.dims }));
}

/** Logits per task from an inference build with the parameters frozen into constants (the export path). */
export async function frozenLogits(arch: Architecture, values: ReadonlyMap<string, Float32Array>, d: Data, options = OPTIONS): Promise<Float32Array[]> {
  const g = new Graph();
  const outputs = logitOutputs(arch, new BuildContext(g, false, { kind: 'frozen', values }), options, d.image !== undefined);
  for (const [name, t] of Object.entries(outputs)) g.output(name, t);
  const model = emitOnnx(g, 'frozen');
  const session = await CompiledModel.create(model.bytes, model.inputs, { threads: 1 });
  const out = await session.run(inputFeeds(d, 0, d.rows));
  await session.release();
  return TASKS.map((t) => tensorData(out[t.name]!) as Float32Array);
}

function logitOutputs(arch: Architecture, ctx: BuildContext, options: ArchOptions, withImage: boolean): Record<string, Tensor> {
  const logits = arch.build(ctx, archInput(ctx.graph, withImage), TASKS, options);
  return Object.fromEntries(TASKS.map((t, i) => [t.name, logits[i]!]));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
