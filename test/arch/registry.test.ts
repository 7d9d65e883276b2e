import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARCHITECTURES, defaultArchOptions, getArchitecture } from '../../src/arch/index.js';
import { OptionError } from '../../src/errors.js';
import { Graph } from '../../src/graph/index.js';
import { BuildContext } from '../../src/nn/context.js';
import { archInput, OPTIONS, TASKS } from './harness.js';

test('the registry names every architecture once', () => {
  assert.deepEqual([...ARCHITECTURES], ['single-task', 'shared-bottom', 'cross-stitch', 'mmoe', 'ple', 'linear']);
  for (const name of ARCHITECTURES) {
    const a = getArchitecture(name);
    assert.equal(a.name, name);
    assert.ok(a.description.length > 10);
  }
});

test('an unknown architecture is an OptionError listing the valid names', () => {
  assert.throws(
    () => getArchitecture('mmeo'),
    (e: unknown) =>
      e instanceof OptionError && e.code === 'unknown-arch' && /'mmeo'/.test(e.message) && ARCHITECTURES.every((n) => e.message.includes(n)) &&
      (e.details.allowed as string[]).length === ARCHITECTURES.length,
  );
});

test('bad build arguments are OptionErrors naming the bad value', () => {
  const arch = getArchitecture('mmoe');
  const build = (tasks = TASKS, options = OPTIONS, fields = archInput(new Graph()).fields) => {
    const g = new Graph();
    return arch.build(new BuildContext(g, false), { ...archInput(g), fields }, tasks, options);
  };
  const code = (c: string) => (e: unknown) => e instanceof OptionError && e.code === c;
  assert.throws(() => build([]), code('no-tasks'));
  assert.throws(() => build([TASKS[0]!, TASKS[0]!]), (e: unknown) => code('duplicate-task')(e) && /'kind'/.test((e as Error).message));
  assert.throws(() => build([{ name: 'x', outputs: 0 }]), code('bad-outputs'));
  assert.throws(() => build(TASKS, OPTIONS, [{ name: 'color', cardinality: 4 }]), code('fields-mismatch'));
  assert.throws(() => build(TASKS, { ...OPTIONS, hidden: [] }), code('bad-hidden'));
  assert.throws(() => build(TASKS, { ...OPTIONS, dropout: 1 }), code('bad-dropout'));
  assert.throws(() => build(TASKS, { ...OPTIONS, experts: 0 }), (e: unknown) => code('bad-experts')(e) && /experts 0/.test((e as Error).message));
  assert.throws(() => build(TASKS, { ...OPTIONS, activation: 'swish' as 'relu' }), (e: unknown) => code('bad-activation')(e) && /gelu/.test((e as Error).message));
  const g = new Graph();
  assert.throws(() => arch.build(new BuildContext(g, false), { numeric: null, categorical: null, fields: [] }, TASKS, OPTIONS), code('no-inputs'));
  const floats = g.input('c', 'float32', ['batch', 2]);
  assert.throws(() => arch.build(new BuildContext(g, false), { ...archInput(new Graph()), categorical: floats }, TASKS, OPTIONS), (e: unknown) => code('bad-input')(e) && /int64/.test((e as Error).message));
});

test('default options scale with the data', () => {
  const small = defaultArchOptions(20, 2_000);
  const large = defaultArchOptions(20, 500_000);
  assert.deepEqual(small.hidden, [128, 64]);
  assert.ok(large.hidden[0]! > small.hidden[0]! && large.experts > small.experts);
  assert.ok(small.experts >= 4 && large.experts <= 8);
  assert.equal(small.dropout, 0.1);
  assert.ok(defaultArchOptions(600, 2_000).hidden[0]! >= 600, 'a wide input gets a first layer at least as wide');
  for (const o of [small, large]) {
    for (const name of ARCHITECTURES) {
      const g = new Graph();
      getArchitecture(name).build(new BuildContext(g, false), archInput(g), TASKS, o);
    }
  }
});
