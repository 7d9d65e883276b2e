import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getArchitecture } from '../../src/arch/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { lossBuild, OPTIONS, TASKS } from './harness.js';

const ple = getArchitecture('ple');
const IN = 15; // 5 numeric + 2 fields × 5
const [H0, H1] = OPTIONS.hidden as [number, number];
const bank = (name: string, count: number, inDim: number) => [
  `${name}.0.w[${count},${inDim},${H0}]`, `${name}.0.b[${count},1,${H0}]`, `${name}.0.norm.gain[${count},1,${H0}]`, `${name}.0.norm.bias[${count},1,${H0}]`,
  `${name}.1.w[${count},${H0},${H1}]`, `${name}.1.b[${count},1,${H1}]`, `${name}.1.norm.gain[${count},1,${H1}]`, `${name}.1.norm.bias[${count},1,${H1}]`,
];
const level = (l: number, inDim: number, last: boolean) => {
  const { sharedExperts: S, taskExperts: E } = OPTIONS;
  return [
    ...bank(`level${l}.shared.experts`, S, inDim),
    ...TASKS.flatMap((t) => bank(`level${l}.task:${t.name}.experts`, E, inDim)),
    ...TASKS.flatMap((t) => [`level${l}.task:${t.name}.gate.w[${inDim},${E + S}]`, `level${l}.task:${t.name}.gate.b[${E + S}]`]),
    ...(last ? [] : [`level${l}.shared.gate.w[${inDim},${TASKS.length * E + S}]`, `level${l}.shared.gate.b[${TASKS.length * E + S}]`]),
  ];
};
const towers = TASKS.flatMap((t) => [
  `task:${t.name}.tower.0.w[${H1},8]`, `task:${t.name}.tower.0.b[8]`, `task:${t.name}.tower.0.norm.gain[8]`, `task:${t.name}.tower.0.norm.bias[8]`,
  `task:${t.name}.head.w[8,${t.outputs}]`, `task:${t.name}.head.b[${t.outputs}]`,
]);
const names = (levels: number) => paramLayout(lossBuild(ple, { ...OPTIONS, levels })).defs.map((d) => `${d.name}[${d.shape}]`);

test('PLE with one level is a CGC block: task and shared experts, task gates, no shared gate', () => {
  const expected = ['input.embedding.table[11,5]', ...level(0, IN, true), ...towers];
  assert.deepEqual(names(1), expected);
  assert.equal(expected.length, 1 + 8 * (1 + TASKS.length) + 2 * TASKS.length + 6 * TASKS.length);
});

test('PLE with two levels adds a shared gate below the top level and a second level on hidden-wide inputs', () => {
  const expected = ['input.embedding.table[11,5]', ...level(0, IN, false), ...level(1, H1, true), ...towers];
  assert.deepEqual(names(2), expected);
  assert.equal(names(2).length - names(1).length, 8 * (1 + TASKS.length) + 2 * TASKS.length + 2);
});
