/**
 * The report as a reader gets it: a tiny Adult model trained by the CLI with `train --report`,
 * and `polyhead report` on it, opened in headless Chromium: every section renders, every chart is
 * an SVG with marks, the console stays clean and the page asks the network for nothing. A
 * screenshot is kept (its path is printed) for looking at the page. Refusals (data without labels,
 * bad options) run on the same model, so the test trains once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { renderReport } from '../../src/report/render.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../support/cli.js';
import { hasChromium, openPage } from './browser.js';
import { fixtureInput } from './fixture.js';

const skip = hasChromium ? false : 'needs /usr/bin/chromium (apt-get install -y chromium)';
const dir = mkdtempSync(join(tmpdir(), 'polyhead-report-'));

/** The first `rows` rows of a bundled Adult file, so training stays short. */
function head(asset: string, rows: number, drop?: string): string {
  const lines = gunzipSync(readFileSync(join(PACKAGE_ROOT, 'assets', asset))).toString('utf8').split('\n').slice(0, rows + 1);
  const out = join(dir, asset.replace('.gz', '').replace('.csv', drop ? `-no-${drop}.csv` : '.csv'));
  const column = drop ? lines[0]!.split(',').indexOf(drop) : -1;
  writeFileSync(out, lines.map((l) => (column < 0 ? l : l.split(',').filter((_, j) => j !== column).join(','))).join('\n') + '\n');
  return out;
}

test('train --report and polyhead report write a page that renders in Chromium', { skip }, async () => {
  const train = head('adult-train.csv.gz', 3000);
  const testFile = head('adult-test.csv.gz', 1000);
  const model = join(dir, 'model');
  const trained = await runCli(['train', train, '--test', testFile, '--tasks', 'income,marital-status,relationship', '--epochs', '2', '--threads', '1', '--force', '--quiet', '--out', model, '--report']);
  assert.equal(trained.code, 0, trained.stderr);
  const inFolder = join(model, 'report.html');
  assert.ok(existsSync(inFolder), 'train --report writes report.html in the model folder');
  assert.match(trained.stderr, /charts from .*adult-test/);

  const out = join(dir, 'report.html');
  const reported = await runCli(['report', model, '--out', out, '--data', testFile, '--importance-rows', '300', '--repeats', '1']);
  assert.equal(reported.code, 0, reported.stderr);
  const html = readFileSync(out, 'utf8');
  for (const title of ['income: ROC curve', 'marital-status: confusion matrix', 'relationship: reliability', 'permutation importance', 'learning curves', 'Δm over single-task']) {
    assert.ok(html.includes(title), title);
  }

  const screenshot = join(tmpdir(), 'polyhead-report-screenshot.png');
  const page = await openPage(inFolder, async (p) => {
    await p.screenshot({ path: screenshot, fullPage: true });
  });
  console.log(`report screenshot: ${screenshot}`);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  assert.deepEqual(page.sections, ['metrics', 'task-0', 'task-1', 'task-2', 'training', 'data']);
  // Per task: learning curves, confusion, reliability, permutation importance; income adds its ROC curve.
  assert.equal(page.figures, 13);
  for (const [i, marks] of page.marks.entries()) assert.ok(marks > 10, `figure ${i} has ${marks} marks`);

  // Data without the label columns, and bad importance options, are refused with what to do.
  const unlabelled = head('adult-test.csv.gz', 50, 'income');
  const r = await runCli(['report', model, '--data', unlabelled, '--out', join(dir, 'x.html')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /task 'income' needs column 'income'.*--data/);
  const bad = await runCli(['report', model, '--importance-rows', '-1', '--out', join(dir, 'y.html')]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /importanceRows/);
  assert.ok(!existsSync(join(dir, 'x.html')) && !existsSync(join(dir, 'y.html')), 'no file is written on an error');
});

test('the page of a model with every optional part renders in Chromium', { skip }, async () => {
  const file = join(dir, 'fixture.html');
  writeFileSync(file, await renderReport(fixtureInput()));
  const page = await openPage(file);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  assert.deepEqual(page.sections, ['metrics', 'leaderboard', 'task-0', 'task-1', 'task-2', 'training', 'data']);
  assert.equal(page.figures, 15);
  for (const [i, marks] of page.marks.entries()) assert.ok(marks > 5, `figure ${i} has ${marks} marks`);
});
