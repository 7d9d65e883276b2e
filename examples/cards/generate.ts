/**
 * Writes N card images and cards.csv (image, colour, points, pattern, texture): a four-task image
 * data set with a known answer, for the image trunk.
 *
 * node dist/examples/cards/generate.js --out DIR [--n 2000] [--size 48] [--seed 1] [--noise 8]
 *
 * The same seed gives the same files, and card i does not depend on N, so a smaller N gives the
 * first cards of a larger one. Images go to DIR/images; cards.csv is written last, whole or not
 * at all, with image paths relative to DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { OptionError, PolyheadError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/util/atomic.js';
import { Random } from '../../src/util/random.js';
import { DEFAULT_NOISE, drawCard, drawLabels, type CardLabels } from './draw.js';

const optionsSchema = z.object({
  out: z.string().min(1),
  n: z.number().int().min(1).max(1_000_000).default(2000),
  size: z.number().int().min(24).max(512).default(48),
  seed: z.number().int().default(1),
  /** Each card's sensor noise is drawn up to this standard deviation (of 255 levels). */
  noise: z.number().min(0).max(128).default(DEFAULT_NOISE),
});

export type GenerateOptions = z.input<typeof optionsSchema>;

export const CSV_COLUMNS = ['image', 'colour', 'points', 'pattern', 'texture'] as const;

export function parseGenerateOptions(input: unknown): z.output<typeof optionsSchema> {
  const r = optionsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  throw new OptionError('bad-option', `option --${field}: ${issue.message}`, { option: field });
}

export function encodePng(rgb: Uint8Array, size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Generates the data set; returns the labels in CSV order. */
export async function generateCards(input: GenerateOptions): Promise<CardLabels[]> {
  const o = parseGenerateOptions(input);
  await mkdir(join(o.out, 'images'), { recursive: true });
  const rng = new Random(o.seed);
  const digits = String(o.n).length;
  const rows: string[] = [CSV_COLUMNS.join(',')];
  const labels: CardLabels[] = [];
  for (let i = 0; i < o.n; i++) {
    const card = drawLabels(rng);
    const image = `images/card-${String(i + 1).padStart(digits, '0')}.png`;
    await writeFile(join(o.out, image), encodePng(drawCard(card, o.size, rng.fork(), o.noise), o.size));
    rows.push([image, card.colour, card.points, card.pattern, card.texture].join(','));
    labels.push(card);
  }
  await writeFileAtomic(join(o.out, 'cards.csv'), rows.join('\n') + '\n');
  return labels;
}

async function main(argv: string[]): Promise<void> {
  const cmd = new Command('generate')
    .description('write N card images and cards.csv (image, colour, points, pattern, texture)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--n <count>', 'number of cards', Number, 2000)
    .option('--size <pixels>', 'image width and height', Number, 48)
    .option('--seed <int>', 'random seed', Number, 1)
    .option('--noise <std>', 'sensor noise: each card draws its standard deviation up to this (of 255)', Number, DEFAULT_NOISE)
    .parse(argv);
  const o = cmd.opts<{ out: string; n: number; size: number; seed: number; noise: number }>();
  const labels = await generateCards(o);
  process.stdout.write(`wrote ${labels.length} cards and ${join(o.out, 'cards.csv')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof PolyheadError ? err.message : String(err)}\n`);
    process.exitCode = err instanceof PolyheadError ? 2 : 1;
  });
}
