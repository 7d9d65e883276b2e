/** Files and folders appear whole or not at all: write beside the target, then rename. */
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
const tempName = (target: string): string => join(dirname(target), `.${basename(target)}.${process.pid}.${counter++}.tmp`);

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes a file piece by piece (`fill` calls `write` as often as it likes) beside `path`, and renames
 * it into place once `fill` is done; on an error the partial file is removed and `path` is untouched.
 */
export async function writeFileStreamAtomic(path: string, fill: (write: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const tmp = tempName(path);
  const handle = await open(tmp, 'wx');
  try {
    await fill(async (text) => {
      await handle.writeFile(text);
    });
    await handle.close();
    await rename(tmp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Fills a temporary folder beside `path` and renames it into place, replacing an older folder of
 * that name only once the new one is complete.
 */
export async function writeFolderAtomic(path: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  await mkdir(tmp);
  try {
    await fill(tmp);
    const old = tempName(path);
    await rename(path, old).catch(() => undefined);
    await rename(tmp, path);
    await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
