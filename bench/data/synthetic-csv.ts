/**
 * The generated table the data benches read and predict: 18 numeric columns (integers and
 * decimals), 11 categorical ones (1% missing) and a label, written in 1 MiB pieces. Each bench
 * says how the label is drawn; the same seed gives the same file.
 */
import { createWriteStream } from 'node:fs';
import { Random } from '../../src/util/random.js';

export const NUMERIC = 18;
export const CATEGORICAL = 11;
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu'];

/** Draws a row's label from its fields (numeric first, then categorical). */
export type LabelRule = (fields: readonly string[], rng: Random) => string;

export async function writeSyntheticCsv(path: string, rows: number, seed: number, label: LabelRule): Promise<void> {
  const rng = new Random(seed);
  const out = createWriteStream(path);
  const header = [...Array.from({ length: NUMERIC }, (_, j) => `num${j}`), ...Array.from({ length: CATEGORICAL }, (_, j) => `cat${j}`), 'label'];
  let buffer = `${header.join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    const fields: string[] = [];
    for (let j = 0; j < NUMERIC; j++) fields.push(j % 3 === 0 ? String(rng.int(100)) : (rng.normal() * 50).toFixed(j % 3 === 1 ? 2 : 4));
    for (let j = 0; j < CATEGORICAL; j++) fields.push(rng.next() < 0.01 ? '' : WORDS[rng.int(3 + j)]!);
    fields.push(label(fields, rng));
    buffer += `${fields.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((r) => out.once('finish', () => r()));
}
