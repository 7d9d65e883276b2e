/**
 * Which model folders a `serve` call names: a model folder (it has model.json) or a folder of them.
 * A model's name is its folder's name; it appears in URLs, so only [A-Za-z0-9_.-] is allowed.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ModelError } from '../errors.js';

export interface ModelFolder {
  name: string;
  dir: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export const isModelName = (name: string): boolean => NAME.test(name);

const isModelFolder = (dir: string): Promise<boolean> => stat(join(dir, 'model.json')).then((s) => s.isFile(), () => false);

async function foldersOf(path: string): Promise<string[]> {
  if (await isModelFolder(path)) return [path];
  const entries = await readdir(path, { withFileTypes: true }).catch(() => {
    throw new ModelError('model-missing', `${path} is neither a model folder (no model.json) nor a readable folder of model folders`);
  });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name)).sort();
  const models: string[] = [];
  for (const d of dirs) if (await isModelFolder(d)) models.push(d);
  if (models.length === 0) throw new ModelError('model-missing', `${path} has no model.json and no sub-folder with one; pass the folder that 'polyhead train' wrote`);
  return models;
}

export async function modelFolders(paths: readonly string[]): Promise<ModelFolder[]> {
  const out: ModelFolder[] = [];
  for (const p of paths) {
    for (const dir of await foldersOf(resolve(p))) {
      const name = basename(dir);
      if (!NAME.test(name)) throw new ModelError('model-name', `model folder '${dir}': its name is used in URLs and may hold only letters, digits, '_', '.' and '-'; rename the folder`);
      if (out.some((m) => m.name === name)) throw new ModelError('model-name', `two model folders are named '${name}' (${out.find((m) => m.name === name)!.dir} and ${dir}); rename one`);
      out.push({ name, dir });
    }
  }
  return out;
}
