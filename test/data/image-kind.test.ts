/**
 * Property test of the image kind (issue 14): a column whose every value is a PNG or JPEG path is
 * an image column whatever the paths look like; one value that is not such a path (a sentence, a
 * file of another type, a bare extension) makes it something else; a declared kind wins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inferSchema } from '../../src/data/infer.js';
import { isImagePath } from '../../src/data/kinds.js';
import { readTable } from '../../src/data/read.js';
import { scratch } from './helpers.js';

const { write } = scratch();
const RUNS = 25;

const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_. -]{0,11}$/).filter((s) => !s.endsWith(' ') && !s.endsWith('.'));
const extension = fc.constantFrom('png', 'PNG', 'jpg', 'JPG', 'jpeg', 'Jpeg');
const imagePath = fc.tuple(fc.array(segment, { minLength: 0, maxLength: 3 }), segment, extension).map(([dirs, name, ext]) => [...dirs, `${name}.${ext}`].join('/'));
const notImage = fc.oneof(
  fc.constantFrom('a cat on a mat', 'images/readme.txt', 'photo.png.bak', '.png', 'scan.gif', 'images/', 'n/a but long enough'),
  fc.tuple(segment, fc.constantFrom('txt', 'gif', 'pngx', 'csv')).map(([n, e]) => `${n}.${e}`),
);

async function kindOf(values: string[], kinds?: Record<string, 'text' | 'image' | 'categorical'>): Promise<string> {
  const rows = values.map((v, i) => `"${v}",${i % 2 === 0 ? 'yes' : 'no'}`);
  const file = write(`t-${Math.random().toString(36).slice(2)}.csv`, ['picture,label', ...rows].join('\n') + '\n');
  const table = await readTable(file);
  const schema = inferSchema(table, { tasks: 'label', ...(kinds ? { kinds } : {}) });
  const feature = schema.features.find((f) => f.name === 'picture');
  return feature?.kind ?? schema.excluded.find((c) => c.name === 'picture')!.kind;
}

describe('image columns', () => {
  it('a column of PNG / JPEG paths is an image column', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(imagePath, { minLength: 25, maxLength: 60 }), async (paths) => {
        assert.ok(paths.every(isImagePath));
        assert.equal(await kindOf(paths), 'image');
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it('one value that is not an image path makes it another kind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(imagePath, { minLength: 25, maxLength: 60 }), notImage, fc.nat(), async (paths, other, at) => {
        assert.equal(isImagePath(other), false, other);
        const values = paths.slice();
        values[at % values.length] = other;
        assert.notEqual(await kindOf(values), 'image');
      }),
      { numRuns: RUNS, seed: 15 },
    );
  });

  it('a text column is not an image column, and a declared kind wins both ways', async () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `review number ${i} says the photo.png looked fine`);
    assert.equal(await kindOf(sentences), 'text');
    const paths = Array.from({ length: 30 }, (_, i) => `img/${i}.png`);
    assert.equal(await kindOf(paths, { picture: 'text' }), 'text');
    assert.equal(await kindOf(Array.from({ length: 30 }, (_, i) => `img/${i}`), { picture: 'image' }), 'image');
  });
});
