/**
 * The browser page as a set of files: the page and its script, onnxruntime-web's wasm build (from
 * node_modules, nothing from a CDN), and per model its model.onnx and page.json. `polyhead serve`
 * answers these paths under `/`; `polyhead export --web` writes the same files.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import { pageSpec, type PageModel } from './page-spec.js';

export interface WebFile {
  contentType: string;
  read: () => Promise<Buffer | string>;
}

const PAGE_DIR = join(PACKAGE_ROOT, 'src', 'serve', 'page');
const ORT_DIR = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
/** The wasm-only ES module build and the single file it loads (threads need cross-origin isolation, so one thread). */
const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
  json: 'application/json; charset=utf-8',
  onnx: 'application/octet-stream',
};

const typeOf = (path: string): string => TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

export function webFiles(models: readonly PageModel[]): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const add = (path: string, read: () => Promise<Buffer | string>): void => void files.set(path, { contentType: typeOf(path), read });
  add('index.html', () => readFile(join(PAGE_DIR, 'index.html')));
  add('app.js', () => readFile(join(PAGE_DIR, 'app.js')));
  for (const f of ORT_FILES) add(`ort/${f}`, () => readFile(join(ORT_DIR, f)));
  add('models.json', async () => JSON.stringify(models.map((m) => m.name)));
  for (const m of models) {
    add(`models/${m.name}/page.json`, async () => JSON.stringify(pageSpec(m)));
    add(`models/${m.name}/model.onnx`, () => readFile(join(m.dir, 'model.onnx')));
  }
  return files;
}
