/**
 * Reading benchmark: a generated CSV of 1,000,000 rows × 30 columns (18 numeric, 11 categorical, 1
 * label) is read into a Table, its schema inferred and labels encoded. Prints rows/s, MB/s and peak
 * RSS against the file size, then where the time goes: raw I/O and decoding, uDSV alone (the parser
 * readTable uses for quote-free text), what readTable adds (checks, trimming, column building), and
 * for comparison csv-parse as readTable runs it on quoted files.
 *
 * node dist/bench/data/read.js [--rows N] [--repeat R] [--keep]   (stages: least CPU time of R runs)
 * Targets: ≥ 300k rows/s, peak RSS ≤ 4× file size.
 */
import { exitOnHelp } from '../usage.js';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { parse, type Options } from 'csv-parse';
import { initParser } from 'udsv';
import { inferSchema } from '../../src/data/infer.js';
import { encodeLabels } from '../../src/data/labels.js';
import { readTable } from '../../src/data/read.js';
import { CATEGORICAL, NUMERIC, writeSyntheticCsv } from './synthetic-csv.js';

exitOnHelp(import.meta.url);

const generate = (path: string, rows: number): Promise<void> =>
  writeSyntheticCsv(path, rows, 1, (_fields, rng) => (rng.next() < 0.3 ? 'yes' : 'no'));

/** The measured run, in a child process so that its peak RSS is its own. */
async function measure(path: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const table = await readTable(path);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const readCpuMs = (cpu.user + cpu.system) / 1000;
  const schema = inferSchema(table, { tasks: 'label' });
  const t2 = performance.now();
  const { labels } = encodeLabels(table, schema.tasks[0]);
  const t3 = performance.now();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ rows: table.rowCount, readMs: t1 - t0, readCpuMs, inferMs: t2 - t1, encodeMs: t3 - t2, rssMb, features: schema.features.length, labelled: labels.type }),
  );
}

/** Wall and CPU milliseconds of an async job. */
async function timed(what: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await what();
  const cpu = process.cpuUsage(cpu0);
  return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

const sink = (): Writable => new Writable({ objectMode: true, write: (_c, _e, done) => done() });

/** The least CPU time of `repeat` runs (the machine may be shared). */
async function leastCpu(repeat: number, what: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < repeat; r++) best = Math.min(best, (await timed(what)).cpu);
  return best;
}

/** The file as text, in 64 KB pieces of whole lines as readTable cuts it, to `each`. */
async function pieces(path: string, each: (text: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const bytes of createReadStream(path, { highWaterMark: 1 << 20 })) {
    pending += decoder.write(bytes as Buffer);
    let start = 0;
    for (let cut = pending.lastIndexOf('\n', start + 65536) + 1; cut > start; cut = pending.lastIndexOf('\n', start + 65536) + 1) {
      each(pending.slice(start, cut));
      start = cut;
    }
    pending = pending.slice(start);
  }
  if (pending !== '') each(pending);
}

/** Reading, decoding and uDSV splitting every piece into records (set up as readTable sets it up), nothing else. */
async function udsvOnly(path: string): Promise<void> {
  const cols = Array.from({ length: NUMERIC + CATEGORICAL + 1 }, (_, j) => ({ name: `c${j}`, type: 's' as const, repl: { empty: undefined, null: undefined, NaN: undefined } }));
  const parser = initParser({ col: ',', row: '\n', encl: '', esc: '', trim: false, cols });
  let records = 0;
  await pieces(path, (text) => {
    parser.stringArrs(text, () => {
      records++;
      return true;
    });
  });
  if (records === 0) throw new Error('uDSV read no records');
}

const csvParseOnly = (path: string, options: Options): Promise<void> =>
  pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), parse(options), sink());

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1]);
  const rows = Number(args[args.indexOf('--rows') + 1] || 0) || 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-bench-'));
  const path = join(dir, 'bench.csv');
  try {
    const gen = await timed(() => generate(path, rows));
    const bytes = statSync(path).size;
    const mb = bytes / 1e6;
    console.log(`generated ${rows.toLocaleString('en-US')} rows × 30 columns: ${mb.toFixed(1)} MB in ${(gen.wall / 1000).toFixed(1)} s`);

    const child = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', path], { encoding: 'utf8' }));
    const rate = (ms: number): string =>
      `${Math.round(rows / (ms / 1000)).toLocaleString('en-US').padStart(10)} rows/s ${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s`;
    const line = (label: string, ms: number, note = ''): void => console.log(`${label.padEnd(44)}${(ms / 1000).toFixed(2).padStart(7)} s ${rate(ms)}${note}`);
    line('readTable (wall)', child.readMs);
    line('readTable (CPU: what an idle core gives)', child.readCpuMs);
    console.log(`inferSchema ${(child.inferMs / 1000).toFixed(2)} s, encodeLabels ${child.encodeMs.toFixed(0)} ms`);
    const total = child.readMs + child.inferMs + child.encodeMs;
    line('read + infer + encode (wall)', total, '   target ≥ 300,000 rows/s');
    console.log(`peak RSS ${child.rssMb.toFixed(0)} MB = ${(child.rssMb / (bytes / 2 ** 20)).toFixed(2)} × file size (target ≤ 4×)`);

    const target = (rps: number): string => (rps >= 300_000 ? 'met' : 'NOT met');
    console.log(
      `target ≥ 300,000 rows/s: readTable ${target(rows / (child.readMs / 1000))}, ` +
        `read + infer + encode ${target(rows / (total / 1000))}; peak RSS ≤ 4×: ${child.rssMb / (bytes / 2 ** 20) <= 4 ? 'met' : 'NOT met'}`,
    );

    console.log('where the time goes, CPU time of each stage alone on the same file:');
    const repeat = Number(args[args.indexOf('--repeat') + 1] || 0) || 2;
    line('  file read + UTF-8 decode into 64 KB pieces', await leastCpu(repeat, () => pieces(path, () => {})));
    const udsv = await leastCpu(repeat, () => udsvOnly(path));
    line('  + uDSV split into records (parser used)', udsv);
    console.log(`  readTable beyond uDSV (piece checks, trim, column building): ${((child.readCpuMs - udsv) / 1000).toFixed(2)} s CPU`);
    const readOptions: Options = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, on_record: () => null };
    line('  csv-parse as for quoted files (fallback)', await leastCpu(1, () => csvParseOnly(path, readOptions)), '   for comparison');
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${path}`);
  }
}

await main();
