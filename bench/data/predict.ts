/**
 * Prediction benchmark: `polyhead predict` on a generated CSV of 1,000,000 rows × 30 columns (18
 * numeric, 11 categorical, 1 label, as bench/data/read.ts generates them) with a small model trained
 * on 20,000 rows of the same kind. The CLI runs in a child process, so its peak RSS is its own; it
 * reads, predicts and writes a chunk of rows at a time. For comparison a second child does what
 * predict did before it streamed: the whole table, all predictions and the whole CSV in memory.
 *
 * node dist/bench/data/predict.js [--rows N] [--chunk-rows R] [--no-whole] [--keep]
 * Prints rows/s and peak RSS of each; the streamed run's peak should not grow with the file.
 */
import { exitOnHelp } from '../usage.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PolyheadModel } from '../../src/bundle/model.js';
import { predictionLines, predictionsHeader } from '../../src/bundle/predictions-csv.js';
import { readForModel } from '../../src/cli/model-data.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { writeFileAtomic } from '../../src/util/atomic.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { NUMERIC, writeSyntheticCsv } from './synthetic-csv.js';

exitOnHelp(import.meta.url);

/** The label follows num1 and cat0, so the model has something to learn. */
const generate = (path: string, rows: number, seed: number): Promise<void> =>
  writeSyntheticCsv(path, rows, seed, (fields, rng) => (Number(fields[1]) + (fields[NUMERIC] === 'alpha' ? 40 : 0) + rng.normal() * 20 > 10 ? 'yes' : 'no'));

/** What predict did before it streamed: one table, one set of predictions, one CSV string. */
async function wholeFile(model: string, data: string, out: string): Promise<void> {
  const loaded = await PolyheadModel.load(model);
  const predictions = await loaded.predict(await readForModel(loaded, data));
  await writeFileAtomic(out, predictionsHeader(loaded.meta, false) + predictionLines(loaded.meta, predictions, false));
  await loaded.release();
}

/** The measured child: runs the real CLI (or the whole-file path) and reports its own peak RSS. */
async function measure(mode: string, args: string[]): Promise<void> {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    process.stdout.write(JSON.stringify({ rssMb: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
  if (mode === 'whole') return wholeFile(args[0]!, args[1]!, args[2]!);
  process.argv = [process.argv[0]!, join(PACKAGE_ROOT, 'dist/src/cli/main.js'), ...args];
  await import('../../src/cli/main.js');
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
}

function child(mode: string, args: string[]): Measured {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', mode, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, ...(JSON.parse(out) as { rssMb: number; cpuSeconds: number }) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1]!, args.slice(2));
  const flag = (name: string): number => Number(args[args.indexOf(name) + 1] || 0);
  const rows = flag('--rows') || 1_000_000;
  const chunkRows = flag('--chunk-rows') || 16384;
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-bench-'));
  const data = join(dir, 'bench.csv');
  const train = join(dir, 'train.csv');
  const model = join(dir, 'model');
  try {
    await generate(data, rows, 1);
    await generate(train, Math.min(20_000, rows), 2);
    const mb = statSync(data).size / 2 ** 20;
    console.log(`generated ${rows.toLocaleString('en-US')} rows × 30 columns: ${mb.toFixed(1)} MB`);
    await trainModel(train, model, { tasks: 'label', epochs: 1, hidden: [32], batchSize: 256, baseline: false, threads: 1 });

    const rate = (seconds: number): string => `${Math.round(rows / seconds).toLocaleString('en-US').padStart(10)} rows/s`;
    // CPU time (threads summed, so onnxruntime's may exceed wall time) says what an idle machine would give.
    const line = (label: string, r: Measured): void =>
      console.log(
        `${label.padEnd(38)}${r.seconds.toFixed(2).padStart(7)} s ${rate(r.seconds)}   CPU ${r.cpuSeconds.toFixed(2).padStart(6)} s ${rate(r.cpuSeconds)}   ` +
          `peak RSS ${r.rssMb.toFixed(0).padStart(5)} MB = ${(r.rssMb / mb).toFixed(2)} × file size`,
      );
    line(`predict, chunks of ${chunkRows.toLocaleString('en-US')} rows`, child('cli', ['predict', model, data, '--out', join(dir, 'streamed.csv'), '--chunk-rows', String(chunkRows)]));
    if (!args.includes('--no-whole')) line('whole file at once (before streaming)', child('whole', [model, data, join(dir, 'whole.csv')]));
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
