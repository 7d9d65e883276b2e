import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { defaultSpace } from '../../src/tune/default-space.js';
import { mergeSpace, readSpaceFile } from '../../src/tune/space-file.js';
import type { SearchSpace } from '../../src/tune/space.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-space-'));
const byName = (space: SearchSpace, name: string) => space.find((p) => p.name === name);
const refused = (pattern: RegExp) => (e: unknown) => e instanceof OptionError && e.code === 'bad-space' && pattern.test(e.message);

test('the default space is sized to the training rows', () => {
  const small = defaultSpace(700);
  const large = defaultSpace(50_000);
  const widths = (s: SearchSpace) => (byName(s, 'hidden') as { choices: number[][] }).choices.flat();
  assert.ok(Math.max(...widths(large)) > Math.max(...widths(small)), 'wider layers for more rows');
  const batches = (s: SearchSpace) => (byName(s, 'batchSize') as { choices: number[] }).choices;
  assert.ok(Math.max(...batches(large)) > Math.max(...batches(small)), 'larger batches for more rows');
  assert.deepEqual(byName(small, 'experts')?.when, { arch: ['mmoe', 'ple'] });
  assert.equal((byName(small, 'lr') as { log: boolean }).log, true, 'learning rates are log-uniform');
});

test('several tasks add the loss weighting, for architectures that share parameters, without methods that need options', () => {
  assert.equal(byName(defaultSpace(700, 1), 'weighting'), undefined);
  const w = byName(defaultSpace(700, 3), 'weighting') as unknown as { choices: string[]; when: { arch: string[] } };
  assert.ok(w.choices.includes('equal') && w.choices.includes('pcgrad') && !w.choices.includes('fixed'), w.choices.join(' '));
  assert.ok(!w.when.arch.includes('single-task') && w.when.arch.includes('mmoe') && !w.when.arch.includes('gbdt'));
});

test('a space file replaces, adds, fixes and removes parameters', () => {
  const space = mergeSpace(defaultSpace(700), {
    arch: ['shared-bottom', 'mmoe'],
    lr: { low: 1e-4, high: 1e-2, log: true },
    hidden: [64, 32],
    epochs: 3,
    dropout: null,
    towerHidden: { choices: [[8], [16, 8]] },
  }, 'space.json');
  assert.deepEqual(byName(space, 'arch'), { name: 'arch', type: 'choice', choices: ['shared-bottom', 'mmoe'] });
  assert.deepEqual(byName(space, 'lr'), { name: 'lr', type: 'range', low: 1e-4, high: 1e-2, log: true, int: false });
  assert.deepEqual(byName(space, 'hidden'), { name: 'hidden', type: 'choice', choices: [[64, 32]] }, 'a list of numbers for hidden is one fixed value');
  assert.deepEqual(byName(space, 'epochs'), { name: 'epochs', type: 'choice', choices: [3] });
  assert.equal(byName(space, 'dropout'), undefined);
  assert.deepEqual(byName(space, 'experts')?.when, { arch: ['mmoe'] }, 'a condition keeps only the choices left');
  assert.equal(space[0]!.name, 'arch', 'a replaced parameter keeps its place');
});

test('a space file is checked before any trial: names, values, ranges and conditions', () => {
  const d = defaultSpace(700);
  assert.throws(() => mergeSpace(d, { learningRate: [0.1] }, 'space.json'), refused(/space\.json: 'learningRate' is not a training option.*lr/));
  assert.throws(() => mergeSpace(d, { tasks: ['a'] }, 'space.json'), refused(/'tasks' is not a training option that can be tuned/));
  assert.throws(() => mergeSpace(d, { dropout: { low: 0, high: 1.5 } }, 's.json'), refused(/dropout = 1\.5 is not a valid value/));
  assert.throws(() => mergeSpace(d, { arch: ['mmoe', 'transformer'] }, 's.json'), refused(/arch = "transformer".*shared-bottom/));
  assert.throws(() => mergeSpace(d, { weightDecay: { low: 0, high: 0.1, log: true } }, 's.json'), refused(/'weightDecay' is log-scaled.*above 0/));
  assert.throws(() => mergeSpace(d, { lr: { low: 0.1, high: 0.01 } }, 's.json'), refused(/low < high/));
  assert.throws(() => mergeSpace(d, { lr: { low: 0.001, high: 0.01, step: 2 } }, 's.json'), refused(/parameter 'lr'/));
  assert.throws(() => mergeSpace(d, { levels: { low: 1, high: 3, int: true, when: { arch: ['rnn'] } } }, 's.json'), refused(/arch = "rnn", which is not among arch's choices/));
  assert.throws(() => mergeSpace(d, { experts: { low: 2, high: 4, int: true, when: { levels: [1] } } }, 's.json'), refused(/depends on 'levels', which must come before it/));
});

test('space files are read as JSON or YAML by their extension; a broken one names the file', async () => {
  const yaml = join(dir, 'space.yaml');
  writeFileSync(yaml, 'arch: [shared-bottom, mmoe]\nlr: { low: 1.0e-4, high: 1.0e-2, log: true }\nexperts: { low: 2, high: 4, int: true, when: { arch: [mmoe] } }\n');
  const json = join(dir, 'space.json');
  writeFileSync(json, JSON.stringify({ arch: ['shared-bottom', 'mmoe'], lr: { low: 1e-4, high: 1e-2, log: true }, experts: { low: 2, high: 4, int: true, when: { arch: ['mmoe'] } } }));
  assert.deepEqual(await readSpaceFile(yaml, defaultSpace(700)), await readSpaceFile(json, defaultSpace(700)));
  const broken = join(dir, 'broken.yml');
  writeFileSync(broken, 'arch: [shared-bottom\n');
  await assert.rejects(readSpaceFile(broken, []), refused(/broken\.yml is not valid YAML/));
  await assert.rejects(readSpaceFile(join(dir, 'missing.json'), []), refused(/missing\.json: no such file/));
});
