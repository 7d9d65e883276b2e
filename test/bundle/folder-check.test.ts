import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, linkSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../../src/bundle/folder-check.js';
import { PolyheadModel } from '../../src/bundle/model.js';
import { ModelError } from '../../src/errors.js';
import { decodeModel, makeNode, makeTensor, onnx, type ModelProto, type TensorProto } from '../../src/graph/onnx-proto.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 50);
const trained = join(files.dir, 'trained');
await trainModel(files.train, trained, { tasks: 'kind,flag', epochs: 1, batchSize: 64, hidden: [8], towerHidden: [4], baseline: false, threads: 1 });

let copies = 0;
function copy(): string {
  const dir = join(files.dir, `copy-${copies++}`);
  cpSync(trained, dir, { recursive: true });
  return dir;
}

const refused = (code: string, pattern: RegExp) => (e: unknown) => e instanceof ModelError && e.code === code && pattern.test(e.message);

/** Writes a changed model.onnx and records its digest in model.json, as a tamperer would. */
function tamper(dir: string, change: (model: ModelProto) => void): void {
  const model = decodeModel(readFileSync(join(dir, 'model.onnx')));
  change(model);
  const bytes = onnx.ModelProto.encode(model).finish();
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  meta.files['model.onnx'] = { sha256: sha256(bytes), bytes: bytes.length };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
}

const external = (name: string, location: string): TensorProto => ({
  name,
  dataType: onnx.TensorProto.DataType.FLOAT,
  dims: [1],
  dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
  externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: '4' }],
});

test('an untouched copy of a model folder loads and records size and sha256 of model.onnx', async () => {
  const dir = copy();
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bytes = readFileSync(join(dir, 'model.onnx'));
  assert.deepEqual(meta.files, { 'model.onnx': { sha256: sha256(bytes), bytes: bytes.length } });
  const model = await PolyheadModel.load(dir);
  await model.release();
});

test('an initializer whose data lives in an external file is refused before onnxruntime opens it', async () => {
  const dir = copy();
  tamper(dir, (m) => {
    const first = m.graph!.initializer![0]!;
    Object.assign(first, external(first.name!, '../../../../etc/passwd'), { rawData: new Uint8Array(0) });
  });
  await assert.rejects(PolyheadModel.load(dir), refused('model-external-data', /etc\/passwd.*refused/));
});

test('external data deep inside a subgraph attribute or a sparse initializer is refused too', async () => {
  const nested = copy();
  tamper(nested, (m) => {
    const constant = makeNode('Constant', [], ['leak'], { value: external('leak', '/etc/shadow') });
    const branch = { name: 'then', node: [constant], output: [{ name: 'leak' }] };
    m.graph!.node!.push({ opType: 'If', input: ['cond'], output: ['out'], name: 'if', attribute: [{ name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch }] });
  });
  await assert.rejects(PolyheadModel.load(nested), refused('model-external-data', /'leak'.*subgraph of attribute 'then_branch' of node 'if'/));

  const sparse = copy();
  tamper(sparse, (m) => {
    m.graph!.sparseInitializer = [{ values: external('sv', 'weights.bin'), indices: makeTensor('si', 'int64', [1], [0]), dims: [4] }];
  });
  await assert.rejects(PolyheadModel.load(sparse), refused('model-external-data', /"weights\.bin"/));
});

test('a symbolic link in the folder is refused, whether it is model.onnx or another entry', async () => {
  const onnxLink = copy();
  const real = join(files.dir, `real-${copies}.onnx`);
  cpSync(join(onnxLink, 'model.onnx'), real);
  rmSync(join(onnxLink, 'model.onnx'));
  symlinkSync(real, join(onnxLink, 'model.onnx'));
  await assert.rejects(PolyheadModel.load(onnxLink), refused('model-link', /model\.onnx is a symbolic link/));

  const other = copy();
  symlinkSync('/etc/hostname', join(other, 'notes.txt'));
  await assert.rejects(PolyheadModel.load(other), refused('model-link', /notes\.txt is a symbolic link/));
});

test('a model.onnx with a second hard link is refused', async () => {
  const dir = copy();
  linkSync(join(dir, 'model.onnx'), join(files.dir, `outside-${copies}.onnx`));
  await assert.rejects(PolyheadModel.load(dir), refused('model-link', /2 hard links/));
});

test('a FIFO in place of model.onnx is refused at once instead of blocking the load', async () => {
  const dir = copy();
  rmSync(join(dir, 'model.onnx'));
  execFileSync('mkfifo', [join(dir, 'model.onnx')]);
  await assert.rejects(PolyheadModel.load(dir), refused('model-corrupt', /model\.onnx is not a regular file/));
});

test('files over the size limit are refused before they are read; the limit can be raised', async () => {
  const dir = copy();
  const size = readFileSync(join(dir, 'model.onnx')).length;
  await assert.rejects(PolyheadModel.load(dir, 0, { onnxBytes: size - 1, jsonBytes: 1 << 20 }), refused('model-too-large', new RegExp(`${size} bytes, over the limit of ${size - 1}`)));
  await assert.rejects(PolyheadModel.load(dir, 0, { onnxBytes: size, jsonBytes: 100 }), refused('model-too-large', /model\.json/));
  const model = await PolyheadModel.load(dir, 0, { onnxBytes: size, jsonBytes: 1 << 20 });
  await model.release();
});

test('model.json that records no digest for model.onnx, or a path as a file name, is refused', async () => {
  const dir = copy();
  const jsonPath = join(dir, 'model.json');
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8'));
  writeFileSync(jsonPath, JSON.stringify({ ...meta, files: {} }));
  await assert.rejects(PolyheadModel.load(dir), refused('model-checksum', /records no sha256 for model\.onnx/));
  writeFileSync(jsonPath, JSON.stringify({ ...meta, files: { ...meta.files, '../model.onnx': meta.files['model.onnx'] } }));
  await assert.rejects(PolyheadModel.load(dir), refused('model-corrupt', /files/));
});
