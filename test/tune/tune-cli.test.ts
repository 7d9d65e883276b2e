/** `polyhead tune` as a user runs it: killed mid-study and resumed, with nothing lost or run twice. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startCli } from '../support/cli.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(900, 200);

interface Line {
  kind: string;
  trial: number | { number: number; params: unknown };
}

const numberOf = (l: Line): number => (typeof l.trial === 'number' ? l.trial : l.trial.number);
const studyLines = (file: string): Line[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
const count = (lines: Line[], kind: string): Map<number, number> => {
  const m = new Map<number, number>();
  for (const l of lines.filter((x) => x.kind === kind)) m.set(numberOf(l), (m.get(numberOf(l)) ?? 0) + 1);
  return m;
};

test('a study killed while a trial runs resumes with that trial re-run once, no other trial lost or repeated', async () => {
  const out = join(files.dir, 'tuned');
  const args = ['tune', files.train, '--tasks', 'kind,flag', '--trials', '6', '--epochs', '4', '--threads', '1', '--seed', '5', '--out', out, '--json'];
  const first = startCli(args);
  let output = '';
  await new Promise<void>((resolve) => {
    first.child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (/"event":"trial-start","trial":2\b/.test(output)) resolve();
    });
    first.child.on('close', () => resolve());
  });
  first.child.kill('SIGKILL');
  await first.done;
  const atKill = studyLines(`${out}.study.jsonl`);
  const finishedAtKill = [...count(atKill, 'finish').keys()];
  const unfinished = [...count(atKill, 'claim').keys()].filter((n) => !finishedAtKill.includes(n));
  assert.deepEqual(finishedAtKill.sort(), [0, 1], 'killed after two trials');
  assert.deepEqual(unfinished, [2], 'while the third was running');

  const second = await runCli(args);
  assert.equal(second.code, 0, second.stderr);
  const events = second.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; trial: number | { number: number }; resumed?: boolean });
  const started = events.filter((e) => e.event === 'trial-start');
  assert.deepEqual(started.map((e) => [e.trial, e.resumed]), [[2, true], [3, false], [4, false], [5, false]], 'the resumed run starts with the unfinished trial, then claims new ones');

  const lines = studyLines(`${out}.study.jsonl`);
  assert.deepEqual([...count(lines, 'finish').entries()].sort((a, b) => a[0] - b[0]), [0, 1, 2, 3, 4, 5].map((n) => [n, 1]), 'every trial finished exactly once');
  const claims = count(lines, 'claim');
  assert.deepEqual([...claims.entries()].sort((a, b) => a[0] - b[0]), [[0, 1], [1, 1], [2, 2], [3, 1], [4, 1], [5, 1]], 'only the interrupted trial was claimed again');
  const params = lines.filter((l) => l.kind === 'claim' && numberOf(l) === 2).map((l) => (l.trial as { params: unknown }).params);
  assert.deepEqual(params[1], params[0], 'and re-run with the parameters it was claimed with');

  const uninterrupted = join(files.dir, 'uninterrupted');
  const whole = await runCli(args.map((a) => (a === out ? uninterrupted : a)));
  assert.equal(whole.code, 0, whole.stderr);
  const outcomes = (file: string) => {
    const all = studyLines(file);
    const claimed = new Map(all.filter((l) => l.kind === 'claim').map((l) => [numberOf(l), (l.trial as { params: unknown }).params]));
    return all.filter((l) => l.kind === 'finish').map((l) => ({ n: numberOf(l), params: claimed.get(numberOf(l)), ...(l as unknown as { state: string; result: { score: number; epochs: number } }) })).map(({ n, params, state, result }) => ({ n, params, state, score: result.score, epochs: result.epochs })).sort((a, b) => a.n - b.n);
  };
  assert.deepEqual(outcomes(`${out}.study.jsonl`), outcomes(`${uninterrupted}.study.jsonl`), 'the killed and resumed study ends as the uninterrupted one does');

  const done = events.find((e) => e.event === 'done') as unknown as { leaderboard: Array<{ trial: number }>; model: string };
  assert.deepEqual(done.leaderboard.map((r) => r.trial).sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(done.model, out);
  assert.ok(readFileSync(join(out, 'model.onnx')).length > 0, 'the best configuration was retrained and saved');
});

test('bad tune flags are refused before any trial, with what is allowed', async () => {
  const r = await runCli(['tune', files.train, '--tasks', 'kind', '--time-limit', 'ten minutes', '--out', join(files.dir, 'x')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--time-limit expects a duration such as 10m/);
  const s = await runCli(['tune', files.train, '--tasks', 'kind', '--sampler', 'grid', '--out', join(files.dir, 'x')]);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /sampler.*tpe.*random/);
  const t = await runCli(['tune', files.train, '--tasks', 'kind,colour', '--out', join(files.dir, 'y')]);
  assert.equal(t.code, 3);
  assert.match(t.stderr, /no column 'colour'/);
  assert.equal(existsSync(join(files.dir, 'y.study.jsonl')), false, 'a bad table or task creates no study');
});
