/**
 * The card example end to end (npm run example:cards): generate the cards, train one multi-task CNN
 * with four heads (shared-bottom over the small-cnn image trunk) and, under the same budget, the
 * single-task CNNs (one per attribute), print each attribute's test accuracy and Δm, save the model
 * and predict a few cards it has never seen.
 *
 * node dist/examples/cards/run.js [--out cards-example] [--n 2000] [--noise 8] [--seed 1] [--hard]
 *
 * --hard is the harder setting: more sensor noise (up to 40 levels) and fewer rows (800).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { PolyheadError } from '../../src/errors.js';
import { trainModel, type TrainReport } from '../../src/pipeline/train-model.js';
import { CSV_COLUMNS, generateCards } from './generate.js';

export const ATTRIBUTES = CSV_COLUMNS.slice(1);

export interface ExampleOptions {
  out: string;
  n: number;
  size: number;
  noise: number;
  seed: number;
  /** Absent: the budget polyhead sizes to the training rows. */
  epochs?: number;
  threads?: number;
  log?: (line: string) => void;
}

export const HARD = { n: 800, noise: 40 };

/** Generates the cards, trains the multi-task model and the single-task baseline, saves the model. */
export async function runExample(o: ExampleOptions): Promise<TrainReport> {
  const log = o.log ?? (() => {});
  const data = join(o.out, 'data');
  await generateCards({ out: data, n: o.n, size: o.size, seed: o.seed, noise: o.noise });
  log(`prepare: ${o.n} cards of ${o.size} x ${o.size} (noise up to ${o.noise}) in ${data}`);
  return trainModel(join(data, 'cards.csv'), join(o.out, 'model'), {
    tasks: ATTRIBUTES.join(','),
    arch: 'shared-bottom',
    imageTrunk: 'small-cnn',
    metric: 'accuracy',
    seed: o.seed,
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
  }, {
    onEvent: (e) => {
      if (e.event === 'epoch') {
        const valid = Object.entries(e.valid ?? {}).map(([t, v]) => `${t} ${(v as { value: number }).value.toFixed(3)}`).join(', ');
        log(`train ${e.model}: epoch ${e.epoch}, validation accuracy ${valid}`);
      }
    },
  });
}

/** Per attribute: multi-task and single-task test accuracy; then Δm. */
export function formatAccuracies(report: TrainReport): string {
  const lines = ['attribute  multi-task  single-task', '---------  ----------  -----------'];
  for (const a of ATTRIBUTES) {
    const mt = report.test?.[a]?.accuracy;
    const st = report.singleTask?.[a]?.accuracy;
    lines.push(`${a.padEnd(9)}  ${(mt ?? NaN).toFixed(4).padStart(10)}  ${(st ?? NaN).toFixed(4).padStart(11)}`);
  }
  lines.push(`Δm of the multi-task CNN over the single-task CNNs (test accuracy): ${report.deltaM !== undefined ? `${report.deltaM >= 0 ? '+' : ''}${report.deltaM.toFixed(2)}%` : '—'}`);
  lines.push(`training: multi-task ${report.seconds.toFixed(0)} s, single-task ${(report.baselineSeconds ?? NaN).toFixed(0)} s`);
  return lines.join('\n');
}

/** Cards the model has never seen (another seed), predicted from the saved folder. */
export async function predictNewCards(o: ExampleOptions, count: number): Promise<string> {
  const dir = join(o.out, 'new');
  const truth = await generateCards({ out: dir, n: count, size: o.size, seed: o.seed + 1000, noise: o.noise });
  const model = await PolyheadModel.load(join(o.out, 'model'));
  try {
    const predictions = await model.predict(await readTable(join(dir, 'cards.csv')));
    const lines = truth.map((card, i) => {
      const cells = ATTRIBUTES.map((a, t) => {
        const predicted = (predictions[t]!.labels as string[])[i]!;
        const actual = String(card[a as keyof typeof card]);
        return `${a} ${predicted}${predicted === actual ? '' : ` (is ${actual})`}`;
      });
      return `card-${i + 1}.png: ${cells.join(', ')}`;
    });
    return lines.join('\n');
  } finally {
    await model.release();
  }
}

async function main(argv: string[]): Promise<void> {
  const cmd = new Command('cards')
    .description('generate cards, train a four-head multi-task CNN and the single-task CNNs, compare, predict')
    .option('--out <dir>', 'folder for the cards, the model and the new cards', 'cards-example')
    .option('--n <count>', 'number of cards', Number, 2000)
    .option('--size <pixels>', 'image side', Number, 48)
    .option('--noise <std>', 'sensor noise up to this standard deviation (of 255)', Number, 8)
    .option('--seed <int>', 'random seed for the cards and the training', Number, 1)
    .option('--epochs <n>', 'epochs (default: sized to the rows)', Number)
    .option('--threads <n>', 'onnxruntime threads (0: automatic)', Number)
    .option('--hard', `the harder setting: ${HARD.n} cards, noise up to ${HARD.noise}`)
    .parse(argv);
  const flags = cmd.opts<Omit<ExampleOptions, 'log'> & { hard?: boolean }>();
  const o: ExampleOptions = { ...flags, ...(flags.hard ? HARD : {}), log: (line) => process.stderr.write(`${line}\n`) };
  const report = await runExample(o);
  process.stdout.write(`\n${formatAccuracies(report)}\n\nmodel saved to ${report.model}\n\npredict: new cards\n${await predictNewCards(o, 6)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof PolyheadError ? err.message : String(err)}\n`);
    process.exitCode = err instanceof PolyheadError ? 2 : 1;
  });
}
