/**
 * One histogram build (all rows in a random order, so gathered; K outputs' pairs) on 1 thread and
 * on 2 (a node this large: one half of its rows each), repeated; prints wall and CPU seconds of
 * each and checks the sums are equal.
 *
 *   node dist/bench/trees-learner/histogram-threads.js [--rows 160000] [--features 12] [--reps 200]
 */
import { exitOnHelp } from '../usage.js';
import { parseArgs } from 'node:util';
import { mainThreadCpu } from '../trees/thread-cpu.js';
import { applyBins, fitBins } from '../../src/trees/binning.js';
import { buildHistogram, strideOf } from '../../src/trees/histogram.js';
import type { TreeInputs } from '../../src/trees/model.js';
import { TreeWork } from '../../src/trees/work.js';
import { Random } from '../../src/util/random.js';

exitOnHelp(import.meta.url);


const { values: a } = parseArgs({ options: { rows: { type: 'string', default: '160000' }, features: { type: 'string', default: '12' }, reps: { type: 'string', default: '200' }, outputs: { type: 'string', default: '5' } } });
const [rows, nf, reps, k] = [Number(a.rows), Number(a.features), Number(a.reps), Number(a.outputs)];
const r = new Random(1);
const inputs: TreeInputs = { rowCount: rows, features: Array.from({ length: nf }, (_, f) => ({ name: `x${f}`, kind: 'numeric' as const })), columns: Array.from({ length: nf }, () => Float32Array.from({ length: rows }, () => r.normal())) };
const work = TreeWork.open(2);
try {
  const data = work.shareData(applyBins(fitBins(inputs, 255), inputs));
  const gh = work.f32(rows * 2 * k);
  for (let i = 0; i < gh.length; i++) gh[i] = r.normal();
  const order = work.i32(rows);
  order.set(r.permutation(rows));
  const features = Int32Array.from({ length: nf }, (_, f) => f);
  const size = data.totalBins * strideOf(k);
  const [one, two, half, packed] = [work.f64(size), work.f64(size), work.f64(size), work.f64(size)];
  const scratch = work.f32(rows * 2 * k);
  const search = { gh, stride: k, offset: 0 };
  const time = (f: () => void): string => {
    const [t0, c0, m0] = [performance.now(), process.cpuUsage(), mainThreadCpu()];
    for (let i = 0; i < reps; i++) f();
    const c = process.cpuUsage(c0);
    return `${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s CPU, main thread ${(mainThreadCpu() - m0).toFixed(2)} s CPU`;
  };
  for (let round = 0; round < 2; round++) {
    console.log(`1 thread: ${time(() => buildHistogram(one, data, features, order, 0, rows, search, k, scratch, null, half))}`);
    console.log(`2 threads: ${time(() => work.histogram(two, features, order, 0, rows, search, k, { ordered: scratch, packedHist: packed, halfHist: half }))}`);
  }
  console.log(`same sums: ${one.every((v, i) => Object.is(v, two[i]))}`);
} finally {
  work.close();
}
