/** A tiny trained model (synthetic table, one epoch) and a real server on 127.0.0.1 with a free port. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseServeOptions, type ServeOptionsInput } from '../../src/serve/options.js';
import { buildServer } from '../../src/serve/server.js';
import { loadModels } from '../../src/serve/start.js';
import { runCli } from '../support/cli.js';
import { syntheticFiles } from '../support/synthetic-table.js';

export interface Fixture {
  /** The folder holding the model folder. */
  root: string;
  name: string;
  model: string;
  train: string;
  test: string;
  inputs: Array<{ name: string; dtype: 'float32' | 'string' }>;
}

/** The model folder `name` (a one-epoch network unless `trainFlags` say otherwise) under `root`. */
export async function trainedModel(trainFlags: readonly string[] = ['--epochs', '1'], name = 'synth'): Promise<Fixture> {
  const files = syntheticFiles(600, 120);
  mkdirSync(join(files.dir, 'models'));
  const model = join(files.dir, 'models', name);
  const r = await runCli(['train', files.train, '--tasks', 'kind,flag', ...trainFlags, '--no-baseline', '--out', model]);
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { onnx: { inputs: Fixture['inputs'] } };
  return { root: join(files.dir, 'models'), name, model, train: files.train, test: files.test, inputs: meta.onnx.inputs };
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  logs: string[];
}

export async function startTestServer(paths: string[], options: ServeOptionsInput = {}): Promise<TestServer> {
  const parsed = parseServeOptions({ host: '127.0.0.1', port: 0, ...options });
  const logs: string[] = [];
  const app = await buildServer(await loadModels(paths, parsed), parsed, (line) => logs.push(line));
  await app.listen({ host: parsed.host, port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, logs };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function send(url: string, body: unknown, contentType = 'application/json', method = 'POST'): Promise<Answer> {
  const init: RequestInit = method === 'GET' ? { method } : { method, headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** The CSV's rows as JSON objects: numbers for numeric inputs (null when empty), strings otherwise. */
export function csvRows(csv: string, inputs: Fixture['inputs']): Array<Record<string, unknown>> {
  const [header, ...lines] = csv.trim().split('\n').map((l) => l.split(','));
  return lines.map((cells) => {
    const row: Record<string, unknown> = {};
    header!.forEach((name, j) => {
      const input = inputs.find((i) => i.name === name);
      const cell = cells[j]!;
      row[name] = input?.dtype === 'float32' ? (cell === '' ? null : Number(cell)) : cell;
    });
    return row;
  });
}
