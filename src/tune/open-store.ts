/** `--storage`: a postgres:// URL for a shared study, else a file path (by default beside the output). */
import { basename } from 'node:path';
import { FileStore } from './file-store.js';
import { PostgresStore } from './postgres-store.js';
import type { StudyStore } from './store.js';

export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

export function openStore(storage: string | undefined, out: string, study: string | undefined): StudyStore {
  if (storage && isPostgresUrl(storage)) return new PostgresStore({ url: storage, study: study ?? basename(out) });
  return new FileStore(storage ?? `${out}.study.jsonl`);
}
