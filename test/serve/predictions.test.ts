/** The answers written as text parse to the values they were written from: any class name, multi-label tasks, rows of a joined run, V2 tensors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelMetadata } from '../../src/bundle/metadata.js';
import type { ServedPrediction } from '../../src/serve/model-worker.js';
import { AnswerWriter } from '../../src/serve/predictions.js';
import type { OnnxSignature } from '../../src/serve/signature.js';

const classes = ['<=50K', 'say "hi"\\', 'ünï\u2028code'];
const tags = ['a', 'b'];
const meta = {
  tasks: [
    { name: 'income "x"', type: 'multiclass', classes },
    { name: 'tags', type: 'multilabel', classes: tags },
  ],
  onnx: { outputs: [{ task: 'income "x"', probabilities: 'p0', label: 'l0' }, { task: 'tags', probabilities: 'p1', label: 'l1' }] },
} as unknown as ModelMetadata;
const signature: OnnxSignature = {
  inputs: [],
  outputs: [
    { name: 'p0', dtype: 'float32', shape: [-1, 3] },
    { name: 'l0', dtype: 'string', shape: [-1] },
    { name: 'p1', dtype: 'float32', shape: [-1, 2] },
    { name: 'l1', dtype: 'int64', shape: [-1, 2] },
  ],
};
/** Four rows, labels as the worker sends them (class indices); the run's rows 1 and 2 are the request's. */
const predictions: ServedPrediction[] = [
  { probabilities: Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.25, 0.25, 1, 0, 0, NaN, 0.5, 0.5]), labels: Int32Array.from([2, 0, 0, 1]) },
  { probabilities: Float32Array.from([0.9, 0.1, 0.6, 0.7, 0.2, 0.1, 0.3, 0.8]), labels: BigInt64Array.from([1n, 0n, 1n, 1n, 0n, 0n, 0n, 1n]) },
];
const f32 = (x: number): number => Math.fround(x);

test('rows(): one object per row of the request, exactly the run values', () => {
  const w = new AnswerWriter(meta, signature);
  const parsed = JSON.parse(w.rows({ predictions, total: 4, start: 1, rows: 3 }));
  assert.deepEqual(parsed, {
    predictions: [
      { 'income "x"': { label: classes[0], probabilities: { [classes[0]!]: f32(0.5), [classes[1]!]: f32(0.25), [classes[2]!]: f32(0.25) } }, tags: { labels: ['a', 'b'], probabilities: { a: f32(0.6), b: f32(0.7) } } },
      { 'income "x"': { label: classes[0], probabilities: { [classes[0]!]: 1, [classes[1]!]: 0, [classes[2]!]: 0 } }, tags: { labels: [], probabilities: { a: f32(0.2), b: f32(0.1) } } },
      { 'income "x"': { label: classes[1], probabilities: { [classes[0]!]: null, [classes[1]!]: 0.5, [classes[2]!]: 0.5 } }, tags: { labels: ['b'], probabilities: { a: f32(0.3), b: f32(0.8) } } },
    ],
  });
});

test('v2(): the outputs asked for, in that order, with the batch in the shape and the id echoed', () => {
  const w = new AnswerWriter(meta, signature);
  assert.throws(() => w.checkOutputs(['p0', 'nope']), /output 'nope' is not an output of this model; outputs: p0, l0, p1, l1/);
  const parsed = JSON.parse(w.v2('m "1"', 'req-1', { predictions, total: 4, start: 1, rows: 2 }, ['l1', 'p0', 'l0']));
  assert.deepEqual(parsed, {
    model_name: 'm "1"',
    model_version: '1',
    id: 'req-1',
    outputs: [
      { name: 'l1', datatype: 'INT64', shape: [2, 2], data: [1, 1, 0, 0] },
      { name: 'p0', datatype: 'FP32', shape: [2, 3], data: [0.5, 0.25, 0.25, 1, 0, 0] },
      { name: 'l0', datatype: 'BYTES', shape: [2], data: [classes[0], classes[0]] },
    ],
  });
  assert.equal(JSON.parse(w.v2('m', undefined, { predictions, total: 4, start: 0, rows: 4 })).outputs.length, 4);
  assert.equal('id' in JSON.parse(w.v2('m', undefined, { predictions, total: 4, start: 0, rows: 1 })), false);
});
