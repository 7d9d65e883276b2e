/**
 * A table with an image column and two numeric columns, trained end to end (issue 14): the saved
 * model.onnx run directly in onnxruntime on images the test decodes itself (uint8 [N, H, W, 3], as
 * model.json tells a caller) gives exactly the probabilities of PolyheadModel.predict, whose metrics
 * are the ones the training run saved from its own evaluation graph.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { evaluateModel } from '../../src/bundle/evaluate-model.js';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { Random } from '../../src/util/random.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-image-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SIDE = 12;
const ROWS = 96;

/** A square of the row's shade (red or blue) at a random place on a grey background, with noise. */
function draw(shade: 'red' | 'blue', rng: Random): Buffer {
  const data = Buffer.alloc(SIDE * SIDE * 3);
  const [x0, y0] = [rng.int(5), rng.int(5)];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = x >= x0 && x < x0 + 7 && y >= y0 && y < y0 + 7;
      const rgb = inside ? (shade === 'red' ? [200, 40, 40] : [40, 60, 200]) : [120, 120, 120];
      data.set(rgb.map((v) => Math.max(0, Math.min(255, Math.round(v + rng.uniform(-20, 20))))), (y * SIDE + x) * 3);
    }
  }
  return data;
}

let csv: string;
before(async () => {
  const rng = new Random(5);
  const lines = ['photo,a,b,shade,big'];
  for (let i = 0; i < ROWS; i++) {
    const shade = rng.uniform(0, 1) < 0.5 ? 'red' : 'blue';
    const [a, b] = [rng.normal(), rng.normal()];
    const name = `p${i}.png`;
    await sharp(draw(shade, rng), { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toFile(join(dir, name));
    lines.push(`${name},${a.toFixed(3)},${b.toFixed(3)},${shade},${a + b > 0 ? 'yes' : 'no'}`);
  }
  csv = join(dir, 'photos.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
});

test('image + numeric columns: trained end to end, model.onnx on caller-decoded bytes equals predict', async () => {
  const out = join(dir, 'model');
  const report = await trainModel(csv, out, {
    tasks: 'shade,big', epochs: 12, batchSize: 16, lr: 0.01, hidden: [16], towerHidden: [8], baseline: false, threads: 1, seed: 3, testFraction: 0.25,
  });
  assert.ok(report.test!.shade!.accuracy! >= 0.8, `shade (from the image) accuracy ${report.test!.shade!.accuracy}`);
  assert.ok(report.test!.big!.accuracy! >= 0.7, `big (from the numbers) accuracy ${report.test!.big!.accuracy}`);

  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  const image = meta.onnx.inputs.find((i: { name: string }) => i.name === 'photo');
  assert.deepEqual({ dtype: image.dtype, shape: image.shape }, { dtype: 'uint8', shape: ['batch', SIDE, SIDE, 3] });
  assert.match(image.note, /decoded and resized/);

  const table = await readTable(csv);
  const model = await PolyheadModel.load(out);
  const predicted = await model.predict(table);
  const again = await evaluateModel(model, table);
  assert.equal(again.rows, ROWS);
  await model.release();

  const pixels = Buffer.concat(await Promise.all(Array.from({ length: ROWS }, (_, i) => sharp(join(dir, `p${i}.png`)).removeAlpha().raw().toBuffer())));
  const column = (k: number) => Float32Array.from(readFileSync(csv, 'utf8').trim().split('\n').slice(1), (l) => Number(l.split(',')[k]));
  const session = await CompiledModel.create(readFileSync(join(out, 'model.onnx')), meta.onnx.inputs, { threads: 1 });
  const res = await session.run({
    photo: makeTensor('uint8', new Uint8Array(pixels), [ROWS, SIDE, SIDE, 3]),
    a: makeTensor('float32', column(1), [ROWS, 1]),
    b: makeTensor('float32', column(2), [ROWS, 1]),
  });
  await session.release();
  meta.onnx.outputs.forEach((o: { probabilities: string; label: string }, t: number) => {
    assert.deepEqual(tensorData(res[o.probabilities]!), predicted[t]!.probabilities, `task ${o.probabilities}`);
    assert.deepEqual(tensorData(res[o.label]!), predicted[t]!.labels);
  });
});
