/**
 * The machine's SGEMM peak as polyhead's own runtime reaches it: one n × n by n × n float32 MatMul
 * through onnxruntime (its MLAS kernels, the ones the training step's matmuls run on).
 */
import { emitOnnx, Graph, matmul } from '../../src/graph/index.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';
import { Random } from '../../src/util/random.js';

/** Best GFLOP/s over `repeats` timed products after one warm-up: the machine is shared, and a peak is what is asked for. */
export async function onnxruntimeSgemm(size: number, threads: number, repeats = 5): Promise<number> {
  const g = new Graph();
  g.output('c', matmul(g.input('a', 'float32', [size, size]), g.input('b', 'float32', [size, size])));
  const model = emitOnnx(g, 'sgemm');
  const session = await CompiledModel.create(model.bytes, model.inputs, { threads });
  const r = new Random(0);
  const square = () => makeTensor('float32', Float32Array.from({ length: size * size }, () => r.normal()), [size, size]);
  const feeds = { a: square(), b: square() };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await session.run(feeds);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  await session.release();
  return (2 * size ** 3) / best / 1e9;
}
