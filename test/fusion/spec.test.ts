import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelError } from '../../src/errors.js';
import { fitFusion, parseFusionSpec } from '../../src/fusion/index.js';
import { problem, TASKS } from './helpers.js';

const data = problem(120, 2);
const json = (method: string) => JSON.parse(JSON.stringify(fitFusion(method, data.members, data.labels, TASKS, { fittedOn: 'held-out' })));

test('a damaged fusion spec is a ModelError that names the file and what is wrong', () => {
  const damaged = (method: string, damage: (spec: any) => void, pattern: RegExp) => {
    const spec = json(method);
    damage(spec);
    assert.throws(() => parseFusionSpec(spec, 'out/model.json'), (e: unknown) => e instanceof ModelError && e.code === 'bad-fusion-spec' && /out\/model\.json/.test(e.message) && pattern.test(e.message), pattern.source);
  };
  damaged('select', (s) => s.tasks[0].weights.pop(), /'kind'.*2 weights for 3 members/);
  damaged('mean', (s) => (s.tasks[1].weights[0] = 0.5), /'flag'.*sum to/);
  damaged('stack', (s) => s.tasks[0].coefficients.push(1), /'kind'.*28 coefficients where 27/);
  damaged('stack', (s) => (s.passthrough = 2), /'kind'.*0 passthrough where 6/);
  damaged('stack', (s) => (s.tasks[2].link = 'tanh'), /tasks\.2\.link/);
  damaged('best', (s) => (s.fittedOn = 'test'), /fittedOn/);
  damaged('best', (s) => (s.extra = 1), /extra/);
});
