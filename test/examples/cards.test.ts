import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { CSV_COLUMNS, generateCards, parseGenerateOptions } from '../../examples/cards/generate.js';
import { OptionError } from '../../src/errors.js';

async function withDirs(count: number, body: (dirs: string[]) => Promise<void>): Promise<void> {
  const dirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(join(tmpdir(), 'cards-'))));
  try {
    await body(dirs);
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

const csvRows = async (dir: string): Promise<string[][]> =>
  (await readFile(join(dir, 'cards.csv'), 'utf8')).trimEnd().split('\n').map((l) => l.split(','));

/** Pixels that are clearly pip red, and clearly stripe blue. */
function countHues(png: PNG): { red: number; blue: number } {
  let red = 0;
  let blue = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r > 140 && g < 90 && b < 90) red++;
    if (b > 140 && b > r + 25) blue++;
  }
  return { red, blue };
}

test('the same seed writes the same files, and fewer cards are the first of more', async () => {
  await withDirs(3, async ([a, b, c]) => {
    await generateCards({ out: a!, n: 8, size: 32, seed: 3 });
    await generateCards({ out: b!, n: 8, size: 32, seed: 3 });
    await generateCards({ out: c!, n: 5, size: 32, seed: 3 });
    assert.equal(await readFile(join(a!, 'cards.csv'), 'utf8'), await readFile(join(b!, 'cards.csv'), 'utf8'));
    const rowsA = await csvRows(a!);
    const rowsC = await csvRows(c!);
    for (let i = 1; i < rowsA.length; i++) {
      assert.deepEqual(await readFile(join(a!, rowsA[i]![0]!)), await readFile(join(b!, rowsA[i]![0]!)));
    }
    for (let i = 1; i < rowsC.length; i++) {
      assert.deepEqual(rowsC[i]!.slice(1), rowsA[i]!.slice(1));
      assert.deepEqual(await readFile(join(c!, rowsC[i]![0]!)), await readFile(join(a!, rowsA[i]![0]!)));
    }
  });
});

test('another seed gives other cards', async () => {
  await withDirs(2, async ([a, b]) => {
    await generateCards({ out: a!, n: 6, size: 32, seed: 1 });
    await generateCards({ out: b!, n: 6, size: 32, seed: 2 });
    const [ra, rb] = [await csvRows(a!), await csvRows(b!)];
    assert.notDeepEqual(await readFile(join(a!, ra[1]![0]!)), await readFile(join(b!, rb[1]![0]!)));
  });
});

test('cards.csv lists every image with its labels, and the images show them', async () => {
  await withDirs(1, async ([dir]) => {
    const labels = await generateCards({ out: dir!, n: 24, size: 48, seed: 7 });
    const rows = await csvRows(dir!);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 25);
    for (const [i, card] of labels.entries()) {
      const [image, colour, points, pattern, texture] = rows[i + 1]!;
      assert.deepEqual([colour, Number(points), pattern, texture], [card.colour, card.points, card.pattern, card.texture]);
      const png = PNG.sync.read(await readFile(join(dir!, image!)));
      assert.deepEqual([png.width, png.height], [48, 48]);
      const { red, blue } = countHues(png);
      assert.equal(red > 20, colour === 'red', `${image}: ${red} red pixels for a ${colour} card`);
      assert.equal(blue > 20, pattern === 'some', `${image}: ${blue} stripe pixels for pattern ${pattern}`);
    }
    for (const value of ['red', 'black', 1, 2, 3, 4, 'none', 'some', 'smooth', 'rough']) {
      assert.ok(labels.some((l) => Object.values(l).includes(value)), `no card has ${value}`);
    }
  });
});

test('bad options are refused naming the option', () => {
  assert.throws(() => parseGenerateOptions({ out: 'x', n: 0 }), (e: unknown) => e instanceof OptionError && /--n/.test(e.message));
  assert.throws(() => parseGenerateOptions({ out: 'x', size: 8 }), (e: unknown) => e instanceof OptionError && /--size/.test(e.message));
  assert.throws(() => parseGenerateOptions({ out: 'x', n: Number.NaN }), OptionError);
});

test('the example trains the multi-task CNN and the single-task CNNs, reports both and predicts new cards', async () => {
  const { ATTRIBUTES, formatAccuracies, predictNewCards, runExample } = await import('../../examples/cards/run.js');
  await withDirs(1, async ([dir]) => {
    const o = { out: dir!, n: 120, size: 24, noise: 8, seed: 2, epochs: 1, threads: 1 };
    const report = await runExample(o);
    for (const a of ATTRIBUTES) {
      assert.ok(report.test![a]!.accuracy! >= 0 && report.singleTask![a]!.accuracy! >= 0, `${a} has both accuracies`);
    }
    assert.equal(typeof report.deltaM, 'number');
    const table = formatAccuracies(report);
    for (const a of ATTRIBUTES) assert.match(table, new RegExp(`^${a} `, 'm'));
    assert.match(table, /Δm .*%/);
    const predicted = (await predictNewCards(o, 3)).split('\n');
    assert.equal(predicted.length, 3);
    for (const line of predicted) assert.match(line, /^card-\d\.png: colour (red|black).*, points [1-4].*, pattern (none|some).*, texture (smooth|rough)/);
  });
});
