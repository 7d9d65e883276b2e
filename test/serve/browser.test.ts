/**
 * The page in a real headless Chromium (Debian's, driven by playwright-core): the form predicts in
 * the browser, and 100 rows predicted in the page with onnxruntime-web equal onnxruntime-node's,
 * both from `polyhead serve`'s page and from the folder `polyhead export --web` wrote; and the same
 * for boosted trees (`--arch gbdt`: ai.onnx.ml TreeEnsemble, opset 5) and a fused model (trees and
 * a network composed in one file).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { decodeModel } from '../../src/graph/onnx-proto.js';
import { slicePredictions } from '../../src/serve/batcher.js';
import { decodeRecords } from '../../src/serve/decode/records.js';
import { parseServeOptions } from '../../src/serve/options.js';
import { ServedModel } from '../../src/serve/served-model.js';
import { runCli } from '../support/cli.js';
import { csvRows, startTestServer, trainedModel, type Fixture, type TestServer } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`;

let fx: Fixture;
let trees: Fixture;
let fused: Fixture;
let server: TestServer;
let browser: BrowserContext;
let staticSite: Server;
let rows: Array<Record<string, unknown>>;

/** A plain static file server for the exported folder: any web server would do. */
function serveFolder(root: string): Promise<Server> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm', json: 'application/json' };
  const s = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? '/').split('?')[0]!) === '/' ? 'index.html' : decodeURIComponent(req.url!.split('?')[0]!)));
    if (!path.startsWith(root) || !existsSync(path)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

before(async () => {
  if (skip) return;
  fx = await trainedModel();
  trees = await trainedModel(['--arch', 'gbdt', '--rounds', '20'], 'synth-gbdt');
  fused = await trainedModel(['--members', 'gbdt,shared-bottom', '--fusion', 'mean', '--epochs', '1', '--rounds', '20'], 'synth-fused');
  rows = csvRows(readFileSync(fx.test, 'utf8'), fx.inputs).slice(0, 100);
  server = await startTestServer([fx.model, trees.model, fused.model]);
  const web = join(fx.root, '..', 'web');
  const r = await runCli(['export', fx.model, '--web', web]);
  assert.equal(r.code, 0, r.stderr);
  staticSite = await serveFolder(web);
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'polyhead-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  await server?.app.close();
  staticSite?.close();
});

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => (globalThis as unknown as { polyheadReady: Promise<void> }).polyheadReady);
  assert.deepEqual(errors, []);
  return page;
}

type PagePrediction = Record<string, { probabilities: number[]; labels: Array<string | number> }>;

/** Predicts the rows in the page and with onnxruntime-node; returns the largest probability difference. */
async function compare(page: Page, model: Fixture = fx): Promise<number> {
  const inPage = await page.evaluate(
    (r) => (globalThis as unknown as { polyhead: { predict: (rows: unknown) => Promise<unknown> } }).polyhead.predict(r),
    rows,
  ) as PagePrediction;
  const served = await ServedModel.load({ name: model.name, dir: model.model }, parseServeOptions({}));
  try {
    const inNode = slicePredictions(await served.predict(decodeRecords(rows, served.rules, 'rows')), served.meta.tasks);
    let worst = 0;
    for (const p of inNode) {
      const web = inPage[p.task]!;
      assert.deepEqual(web.labels, Array.from(p.labels as string[]), `${p.task} labels`);
      assert.equal(web.probabilities.length, p.probabilities.length);
      p.probabilities.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - web.probabilities[i]!))));
    }
    return worst;
  } finally {
    await served.release();
  }
}

test('the page served at / builds the form from the schema, predicts in the browser, and 100 rows equal onnxruntime-node', { skip }, async (t) => {
  const page = await openPage(`${server.url}/`);
  assert.equal(await page.locator('form select').count(), fx.inputs.filter((i) => i.dtype === 'string').length);
  assert.equal(await page.locator('form input[type=number]').count(), fx.inputs.filter((i) => i.dtype === 'float32').length);
  await page.selectOption('select[name=color]', 'blue');
  await page.click('button[type=submit]');
  await page.waitForSelector('.task h2');
  assert.match((await page.locator('.task h2').first().textContent())!, /^kind: (low|mid|high)$/);
  const screenshot = join(tmpdir(), 'polyhead-serve-page.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  t.diagnostic(`screenshot: ${screenshot}`);
  const worst = await compare(page);
  t.diagnostic(`100 rows, page (onnxruntime-web wasm) vs onnxruntime-node: labels equal, max |Δp| = ${worst.toExponential(2)}`);
  assert.ok(worst <= 1e-6, `max |Δp| ${worst}`);
});

test('the folder export --web wrote works from a plain static server, with the same predictions', { skip }, async (t) => {
  const page = await openPage(`http://127.0.0.1:${(staticSite.address() as AddressInfo).port}/`);
  const worst = await compare(page);
  t.diagnostic(`exported page: max |Δp| = ${worst.toExponential(2)}`);
  assert.ok(worst <= 1e-6, `max |Δp| ${worst}`);
});

for (const [kind, model] of [
  ['boosted trees (TreeEnsemble, ai.onnx.ml opset 5)', () => trees],
  ['a fused model (trees + network, mean)', () => fused],
] as const) {
  test(`the page runs ${kind}: 100 rows equal onnxruntime-node`, { skip }, async (t) => {
    const m = model();
    const onnx = decodeModel(readFileSync(join(m.model, 'model.onnx')));
    assert.ok(onnx.graph!.node!.some((n) => n.opType === 'TreeEnsemble' && n.domain === 'ai.onnx.ml'), 'the model has a TreeEnsemble node');
    assert.equal(Number(onnx.opsetImport!.find((o) => o.domain === 'ai.onnx.ml')!.version), 5);
    const page = await openPage(`${server.url}/?model=${m.name}`);
    assert.equal(await page.locator('form select').count(), m.inputs.filter((i) => i.dtype === 'string').length);
    const worst = await compare(page, m);
    t.diagnostic(`${m.name}: 100 rows, page (onnxruntime-web wasm) vs onnxruntime-node: labels equal, max |Δp| = ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-6, `max |Δp| ${worst}`);
  });
}
