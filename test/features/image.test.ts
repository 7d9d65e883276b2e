/**
 * Image columns in the feature plan: the fitted size and channel statistics, the encoded bytes
 * (missing images as the mean colour), the ONNX fragment agreeing with the JS normalisation to the
 * bit, unreadable files as located errors or missing values, and plans round-tripping.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { readTable } from '../../src/data/read.js';
import type { Schema } from '../../src/data/schema.js';
import type { Table } from '../../src/data/table.js';
import { DataError } from '../../src/errors.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import {
  encodeFeatures, featurePlanToOnnx, fitFeaturePlan, fitFeatures, imageInputName, imageInputsOf, imageValues, normalizeImages,
  parsePlan, rawColumnValues, rawInputsOf, savePlan, type FeaturePlan,
} from '../../src/features/index.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A w × h RGB image whose pixel (x, y) is (x·20 + seed, y·20, seed·7) mod 256. */
function pixels(w: number, h: number, seed: number): Buffer {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([(x * 20 + seed) % 256, (y * 20) % 256, (seed * 7) % 256], (y * w + x) * 3);
  return data;
}

async function writeImage(name: string, w: number, h: number, seed: number, format: 'png' | 'jpeg' | 'grey' | 'rgba'): Promise<void> {
  let img = sharp(pixels(w, h, seed), { raw: { width: w, height: h, channels: 3 } });
  if (format === 'grey') img = img.greyscale();
  if (format === 'rgba') img = img.ensureAlpha(0.5);
  await (format === 'jpeg' ? img.jpeg() : img.png()).toFile(join(dir, name));
}

const schema: Schema = {
  features: [
    { name: 'picture', kind: 'image', missingRate: 0 },
    { name: 'x', kind: 'numeric', missingRate: 0 },
  ],
  excluded: [],
  tasks: [],
  warnings: [],
};

let table: Table;
before(async () => {
  const rows = ['picture,x'];
  for (let i = 0; i < 8; i++) {
    const format = (['png', 'jpeg', 'grey', 'rgba'] as const)[i % 4];
    const name = `img-${i}.${format === 'jpeg' ? 'jpg' : 'png'}`;
    await writeImage(name, i === 7 ? 20 : 10, i === 7 ? 6 : 8, i, format);
    rows.push(`${name},${i}`);
  }
  rows.push(',8', 'img-0.png,9');
  writeFileSync(join(dir, 'table.csv'), rows.join('\n') + '\n');
  table = await readTable(join(dir, 'table.csv'));
});

const trainRows = Int32Array.from({ length: 8 }, (_, i) => i);

async function runFragment(plan: FeaturePlan, rows: Int32Array): Promise<Record<string, Float32Array>> {
  const fragment = featurePlanToOnnx(plan);
  const inputs = [...rawInputsOf(plan).map((i) => ({ ...i, shape: ['batch', 1] })), ...imageInputsOf(plan)];
  const model = await CompiledModel.create(encodeModel({ name: 'features', ...fragment }), inputs);
  const feeds = Object.fromEntries(rawColumnValues(table, plan, rows).map((c) => [c.name, makeTensor(c.dtype, c.values, [rows.length, 1])]));
  for (const image of await imageValues(table, plan, rows)) feeds[image.name] = makeTensor('uint8', image.values, [rows.length, ...image.shape]);
  const out = await model.run(feeds);
  await model.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, tensorData(v) as Float32Array]));
}

describe('image features', () => {
  it('fits the median size and per-channel statistics of the training images', async () => {
    const plan = await fitFeatures(table, schema, trainRows);
    assert.equal(plan.image.length, 1);
    const step = plan.image[0]!;
    assert.deepEqual([step.height, step.width], [8, 10]);
    assert.ok(step.mean.every((m) => m > 0 && m < 255) && step.std.every((s) => s > 0), JSON.stringify(step));
    assert.deepEqual(imageInputsOf(plan), [{ name: 'picture', dtype: 'uint8', shape: ['batch', 8, 10, 3] }]);
    const square = await fitFeatures(table, schema, trainRows, { imageSize: 6 });
    assert.deepEqual([square.image[0]!.height, square.image[0]!.width], [6, 6]);
  });

  it('encodes bytes [rows, H, W, 3]; an empty cell is the mean colour; a path read twice decodes alike', async () => {
    const plan = await fitFeatures(table, schema, trainRows);
    const encoded = await encodeFeatures(plan, table);
    const block = encoded.images![0]!;
    const size = 8 * 10 * 3;
    assert.equal(block.pixels.length, table.rowCount * size);
    const empty = block.pixels.subarray(8 * size, 9 * size);
    for (let k = 0; k < size; k++) assert.equal(empty[k], Math.round(plan.image[0]!.mean[k % 3]!));
    assert.deepEqual(block.pixels.subarray(9 * size, 10 * size), block.pixels.subarray(0, size));
    assert.notDeepEqual(block.pixels.subarray(size, 2 * size), block.pixels.subarray(0, size));
    const first = block.pixels.subarray(0, 3);
    assert.deepEqual([...first], [0, 0, 0], 'the top-left pixel of image 0 is black');
  });

  it('the ONNX fragment takes uint8 [batch, H, W, 3] and gives the JS float32 [batch, 3, H, W] to the bit', async () => {
    const plan = await fitFeatures(table, schema, trainRows);
    const all = Int32Array.from({ length: table.rowCount }, (_, i) => i);
    const encoded = await encodeFeatures(plan, table, all);
    const js = normalizeImages(encoded.images![0]!, null);
    const onnx = (await runFragment(plan, all))[imageInputName('picture')]!;
    assert.equal(onnx.length, table.rowCount * 3 * 80);
    assert.deepEqual(onnx, js);
    const rows = Int32Array.from([9, 2]);
    assert.deepEqual(normalizeImages(encoded.images![0]!, rows), (await runFragment(plan, rows))[imageInputName('picture')]);
  });

  it('an unreadable image is an error naming file, line, column and path, or with imageMissing a missing value', async () => {
    writeFileSync(join(dir, 'broken.csv'), 'picture,x\nimg-0.png,1\nnot-there.png,2\nimg-1.jpg,3\n');
    writeFileSync(join(dir, 'garbage.png'), 'not an image');
    writeFileSync(join(dir, 'garbage.csv'), 'picture,x\ngarbage.png,1\nimg-0.png,2\n');
    for (const [file, line, path] of [['broken.csv', 3, 'not-there.png'], ['garbage.csv', 2, 'garbage.png']] as const) {
      const t = await readTable(join(dir, file));
      await assert.rejects(fitFeatures(t, schema, Int32Array.from([0, 1])), (e: unknown) => {
        assert.ok(e instanceof DataError && e.code === 'image-unreadable', String(e));
        assert.deepEqual({ ...e.location, path: e.details.path }, { file: t.source, line, column: 'picture', path });
        assert.match(e.message, /--image-missing missing/);
        return true;
      });
    }
    const t = await readTable(join(dir, 'broken.csv'));
    const plan = await fitFeatures(t, schema, Int32Array.from([0, 1, 2]), { imageMissing: 'missing' });
    const block = (await encodeFeatures(plan, t)).images![0]!;
    const size = block.height * block.width * 3;
    for (let k = 0; k < size; k++) assert.equal(block.pixels[size + k], Math.round(plan.image[0]!.mean[k % 3]!));
  });

  it('the synchronous fit refuses image columns instead of leaving them out', () => {
    assert.throws(() => fitFeaturePlan(table, schema, trainRows), /fitFeatures/);
  });

  it('a plan keeps its image steps through JSON, and a plan saved without any reads back with none', async () => {
    const plan = await fitFeatures(table, schema, trainRows);
    assert.deepEqual(parsePlan(savePlan(plan)), plan);
    const old = JSON.parse(savePlan(plan)) as Record<string, unknown>;
    delete old.image;
    (old.options as Record<string, unknown>).imageSize = undefined;
    assert.deepEqual(parsePlan(JSON.stringify(old)).image, []);
    const bad = JSON.parse(savePlan(plan)) as { image: Array<{ std: number[] }> };
    bad.image[0]!.std = [1, 0, 1];
    assert.throws(() => parsePlan(bad), /std must be positive/);
  });
});
