/** A small labelled CSV with numeric, categorical and missing values, two learnable tasks. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/util/random.js';

const COLORS = ['red', 'green', 'blue', 'amber', 'violet'];
const CITIES = Array.from({ length: 14 }, (_, i) => `city${i}`);

export function syntheticCsv(rows: number, seed: number): string {
  const r = new Random(seed);
  const lines = ['id_like,x1,x2,color,city,kind,flag'];
  for (let i = 0; i < rows; i++) {
    const x1 = r.normal();
    const x2 = r.normal();
    const color = r.int(COLORS.length);
    const city = r.int(CITIES.length);
    const score = x1 + (color - 2) * 0.8;
    const kind = score < -0.7 ? 'low' : score < 0.7 ? 'mid' : 'high';
    const flag = x2 + (city % 3 === 0 ? 1.2 : -0.4) + 0.3 * r.normal() > 0 ? 'yes' : 'no';
    const cells = [
      `r${i}`,
      r.next() < 0.05 ? '' : x1.toFixed(4),
      x2.toFixed(4),
      COLORS[color]!,
      CITIES[city]!,
      kind,
      r.next() < 0.1 ? '' : flag,
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Writes train and test files into a fresh temporary folder. */
export function syntheticFiles(rows = 900, testRows = 300): { dir: string; train: string; test: string } {
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-test-'));
  const train = join(dir, 'train.csv');
  const test = join(dir, 'test.csv');
  writeFileSync(train, syntheticCsv(rows, 1));
  writeFileSync(test, syntheticCsv(testRows, 2));
  return { dir, train, test };
}
