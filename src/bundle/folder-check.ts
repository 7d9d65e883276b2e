/**
 * A model folder is untrusted input (downloaded, unpacked from an archive, shared). Loading reads only
 * regular files of its own: no symbolic link anywhere in the folder, no file with a second hard link
 * (another path could change it after the check), nothing larger than a limit, and every byte it reads
 * besides model.json matches the sha256 model.json records for that file.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from '../errors.js';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Largest file sizes loading reads, in bytes. */
export interface FileLimits {
  onnxBytes: number;
  jsonBytes: number;
}

/** 2 GiB is protobuf's own ceiling for one message; a model.json is kilobytes. */
export const DEFAULT_LIMITS: FileLimits = { onnxBytes: 2 * 1024 ** 3, jsonBytes: 64 * 1024 ** 2 };

/** A file as model.json records it. */
export interface FileRecord {
  sha256: string;
  bytes: number;
}

/** The folder exists, is a directory (it may itself be reached through a link), and holds no symbolic link. */
export async function checkFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ModelError('model-missing', `${dir} is not a polyhead model folder (not a directory); pass the folder that 'polyhead train' wrote`);
  }
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new ModelError('model-missing', `cannot list the model folder ${dir} (${err.code ?? err.message}); check its permissions`, { file: dir });
  });
  for (const name of names) {
    if ((await lstat(join(dir, name))).isSymbolicLink()) {
      throw new ModelError(
        'model-link',
        `${join(dir, name)} is a symbolic link; a model folder may hold only its own regular files, as 'polyhead train' writes them. Copy the files themselves into the folder`,
        { file: join(dir, name) },
      );
    }
  }
}

/**
 * The bytes of `name` in `dir`, opened without following a link and checked on the open handle, so
 * the file checked is the file read.
 */
export async function readFolderFile(dir: string, name: string, maxBytes: number): Promise<Buffer> {
  const path = join(dir, name);
  // O_NONBLOCK: a FIFO in place of the file opens at once (and is refused below) instead of hanging.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(path, flags).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new ModelError('model-link', `${path} is a symbolic link; a model folder may hold only its own regular files`, { file: path });
    throw new ModelError('model-missing', `${dir} has no readable ${name}; pass a complete folder as 'polyhead train' writes it`, { file: path });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelError('model-corrupt', `${path} is not a regular file`, { file: path });
    if (info.nlink > 1) {
      throw new ModelError(
        'model-link',
        `${path} has ${info.nlink} hard links; a model folder's files must not be shared with other paths, which could change them after they are checked. Copy the file instead of linking it`,
        { file: path, links: info.nlink },
      );
    }
    if (info.size > maxBytes) {
      throw new ModelError('model-too-large', `${path} is ${info.size} bytes, over the limit of ${maxBytes} bytes for this file; raise the limit only for a model you trust`, {
        file: path,
        bytes: info.size,
        limit: maxBytes,
      });
    }
    const bytes = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read !== bytes.length) throw new ModelError('model-corrupt', `${path} shrank while it was read; try again`, { file: path });
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Refuses bytes that model.json does not record, or records with another size or digest. */
export function checkRecorded(dir: string, name: string, bytes: Uint8Array, files: Record<string, FileRecord>): void {
  const record = Object.hasOwn(files, name) ? files[name] : undefined;
  const path = join(dir, name);
  if (record === undefined) {
    throw new ModelError('model-checksum', `model.json in ${dir} records no sha256 for ${name}; the folder was not written by this polyhead or was changed, train or copy the model again`, { file: path });
  }
  if (record.bytes !== bytes.length || sha256(bytes) !== record.sha256) {
    throw new ModelError('model-checksum', `${path} does not match the size and sha256 recorded in model.json; it was changed or damaged, train or copy the model again`, { file: path });
  }
}
