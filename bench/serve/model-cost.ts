/**
 * Where a served network's onnxruntime time goes: CPU µs per run (one thread, the session options
 * the server's worker uses) at the batch sizes micro-batching makes, for the model as exported and
 * for the graph rewrites of graph-variants.ts, each against the exported file in the same run.
 * The serve bench's 1-row requests at 64 connections make runs of ~30 rows, so the n=32 column is the
 * one that bounds the server.
 * Run: node dist/bench/serve/model-cost.js [MODEL] [--rows CSV] [--rounds 3]
 *      (without MODEL it trains the serve bench's one-epoch Adult network; rows are the first 512 of
 *      --rows, by default the bundled Adult test file)
 */
import { exitOnHelp } from '../usage.js';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { decodeModel, onnx } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor } from '../../src/runtime/session.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { dropDenseNumeric, expandLayerNorms, gatherFirstLayer } from './graph-variants.js';
import { benchModel, csvRows, modelInputs } from './load.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROWS_CSV = flag('rows') ?? join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const ROUNDS = Number(flag('rounds') ?? 3);
const SIZES = [1, 8, 32, 128];
const PARITY_ROWS = 512;
const RUN_ROWS = 3000;
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Variant {
  name: string;
  nodes: number;
  session: CompiledModel;
}

type Rows = ReturnType<typeof csvRows>;

function feeds(rows: Rows, inputs: ReturnType<typeof modelInputs>, n: number): Record<string, RuntimeTensor> {
  const chosen = rows.slice(0, n);
  return Object.fromEntries(
    inputs.map((i) => [
      i.name,
      i.dtype === 'float32'
        ? makeTensor('float32', Float32Array.from(chosen, (r) => (r[i.name] as number | null) ?? NaN), [n, 1])
        : makeTensor('string', chosen.map((r) => String(r[i.name] ?? '')), [n, 1]),
    ]),
  );
}

/** CPU µs per run of `n` rows (best of the rounds: other work on the machine only slows a run down). */
async function cpuPerRun(session: CompiledModel, feed: Record<string, RuntimeTensor>, n: number): Promise<number> {
  for (let i = 0; i < 20; i++) await session.run(feed);
  const runs = Math.max(100, Math.round(RUN_ROWS / n));
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await session.run(feed);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / runs;
}

/** The largest probability difference over the probability outputs and how many labels differ, against the exported file. */
async function parity(reference: CompiledModel, other: CompiledModel, feed: Record<string, RuntimeTensor>): Promise<string> {
  const [a, b] = [await reference.run(feed), await other.run(feed)];
  let dp = 0;
  let labels = 0;
  for (const name of reference.outputNames) {
    const [x, y] = [tensorData(a[name]!), tensorData(b[name]!)];
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] === 'number') dp = Math.max(dp, Math.abs((x[i] as number) - (y[i] as number)));
      else if (x[i] !== y[i]) labels++;
    }
  }
  return `largest probability difference ${dp.toExponential(1)}, ${labels} labels differ`;
}

async function main(): Promise<void> {
  const dir = await benchModel(process.argv[2]);
  const inputs = modelInputs(dir);
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { network?: { numericWidth?: number } };
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const specs = inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: ['batch', 1] }));
  const compile = async (name: string, rewrite?: (m: ReturnType<typeof decodeModel>) => boolean): Promise<Variant | string> => {
    const model = decodeModel(bytes);
    if (rewrite && !rewrite(model)) return `${name}: not applicable to this graph`;
    const encoded = rewrite ? onnx.ModelProto.encode(model).finish() : bytes;
    return { name, nodes: model.graph!.node!.length, session: await CompiledModel.create(encoded, specs, { threads: 1 }) };
  };
  const built = [
    await compile('as exported'),
    await compile('layer norms as nine-node chains (the export before)', (m) => expandLayerNorms(m) > 0),
    await compile('first layer gathers its numeric rows', gatherFirstLayer),
    await compile('first layer without the dense numeric product (lower bound)', (m) => meta.network?.numericWidth !== undefined && dropDenseNumeric(m, meta.network.numericWidth)),
  ];
  const variants = built.filter((v): v is Variant => typeof v !== 'string');
  const rows = csvRows(ROWS_CSV, inputs, PARITY_ROWS);
  const best = variants.map(() => SIZES.map(() => Infinity));
  console.log(`onnxruntime CPU per run of ${dir}, one thread, best of ${ROUNDS} interleaved rounds; load average before: ${load()}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [v, variant] of variants.entries()) {
      for (const [j, n] of SIZES.entries()) best[v]![j] = Math.min(best[v]![j]!, await cpuPerRun(variant.session, feeds(rows, inputs, n), n));
    }
  }
  console.log(`| graph | nodes | ${SIZES.map((n) => `${n} row${n > 1 ? 's' : ''} µs/run`).join(' | ')} | µs/row at 32 | vs exported at 32 | outputs vs exported (${PARITY_ROWS} rows) |`);
  console.log(`| --- | --- | ${SIZES.map(() => '---').join(' | ')} | --- | --- | --- |`);
  const at32 = SIZES.indexOf(32);
  for (const [v, variant] of variants.entries()) {
    const same = v === 0 ? 'the file' : variant.name.endsWith('(lower bound)') ? 'not the same model (timing only)' : await parity(variants[0]!.session, variant.session, feeds(rows, inputs, PARITY_ROWS));
    const ratio = best[v]![at32]! / best[0]![at32]!;
    console.log(`| ${variant.name} | ${variant.nodes} | ${best[v]!.map((x) => x.toFixed(0)).join(' | ')} | ${(best[v]![at32]! / 32).toFixed(1)} | ${ratio.toFixed(2)}x | ${same} |`);
  }
  for (const skipped of built.filter((v): v is string => typeof v === 'string')) console.log(skipped);
  console.log(`load average after: ${load()}`);
  for (const v of variants) await v.session.release();
}

await main();
