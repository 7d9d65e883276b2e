/** `polyhead export --web DIR`: the page `polyhead serve` shows at `/`, as static files any web server can host. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFolderAtomic } from '../util/atomic.js';
import type { PageModel } from './page-spec.js';
import { webFiles } from './web-files.js';

export async function writeWebPage(target: string, models: readonly PageModel[]): Promise<string[]> {
  const files = webFiles(models);
  await writeFolderAtomic(target, async (dir) => {
    for (const [path, file] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), await file.read());
    }
  });
  return [...files.keys()];
}
