/** Finite-difference gradient checking through onnxruntime, in float64. */
import { emitOnnx, grad, Graph, mul, sumAll, type Dim, type Tensor } from '../../src/graph/index.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';

/** Every op that appeared in a checked graph (forward or backward), for the coverage test. */
export const opsChecked = new Set<string>();

export interface InputDef {
  shape: number[];
  /** Declared shape, when it differs (symbolic dimensions). */
  declared?: Dim[];
  /** Value generator; defaults to uniform in (-1, 1) away from zero. */
  sample?: (r: () => number) => number;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const awayFromZero = (r: () => number): number => (r() < 0.5 ? -1 : 1) * (0.1 + 0.9 * r());

/**
 * Builds loss = Σ f(inputs) ⊙ W for a fixed random W, differentiates it, and compares each
 * gradient with central differences. Returns the worst relative error
 * ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖).
 */
export async function gradCheck(defs: InputDef[], f: (...xs: Tensor[]) => Tensor, seed = 1, h = 1e-6): Promise<number> {
  const r = rng(seed);
  const g = new Graph();
  const xs = defs.map((d, i) => g.input(`x${i}`, 'float64', d.declared ?? d.shape));
  const y = f(...xs);
  // The weights are an input so that y may have named dimensions.
  const wShape = y.shape.map((d, i) => (typeof d === 'number' ? d : defs[0]!.shape[i]!));
  const wValues = Float64Array.from({ length: wShape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
  const w = g.input('w', 'float64', [...y.shape]);
  const loss = sumAll(mul(y, w));
  const grads = grad(loss, xs);
  g.output('loss', loss);
  grads.forEach((gt, i) => g.output(`g${i}`, gt));
  for (const node of g.nodes) opsChecked.add(node.op);
  const model = emitOnnx(g, 'gradcheck');
  const session = await CompiledModel.create(model.bytes, model.inputs, { threads: 1 });

  const values = defs.map((d) => Float64Array.from({ length: d.shape.reduce((a, b) => a * b, 1) }, () => (d.sample ?? awayFromZero)(r)));
  const feeds = () => ({
    w: makeTensor('float64', wValues, wShape),
    ...Object.fromEntries(values.map((v, i) => [`x${i}`, makeTensor('float64', v, defs[i]!.shape)])),
  });
  const base = await session.run(feeds());
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const analytic = tensorData(base[`g${i}`]!) as Float64Array;
    const v = values[i]!;
    let diff = 0;
    let norm = 0;
    for (let k = 0; k < v.length; k++) {
      const keep = v[k]!;
      v[k] = keep + h;
      const up = (tensorData((await session.run(feeds())).loss!) as Float64Array)[0]!;
      v[k] = keep - h;
      const down = (tensorData((await session.run(feeds())).loss!) as Float64Array)[0]!;
      v[k] = keep;
      const numeric = (up - down) / (2 * h);
      diff += (analytic[k]! - numeric) ** 2;
      norm += analytic[k]! ** 2 + numeric ** 2;
    }
    worst = Math.max(worst, norm === 0 ? 0 : Math.sqrt(diff) / Math.sqrt(norm));
  }
  await session.release();
  return worst;
}
