/**
 * The server's log as `polyhead serve` writes it: a timestamped line per event, on stderr. Lines
 * are gathered and written together at most every FLUSH_MS (and at exit), so a loaded server makes
 * one write per batch of requests rather than one blocking write per request.
 */
import type { LogLine } from './server.js';

const FLUSH_MS = 100;
/** A batch this large is written at once, so memory stays bounded whatever the request rate. */
const MAX_PENDING_CHARS = 64 * 1024;

export function stderrLog(): LogLine {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  // Lines within the same millisecond share one formatted timestamp.
  let stampedAt = -1;
  let stamp = '';
  const flush = (): void => {
    timer = undefined;
    if (pending === '') return;
    process.stderr.write(pending);
    pending = '';
  };
  process.on('exit', flush);
  return (line) => {
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString();
    }
    pending += `${stamp} ${line}\n`;
    if (pending.length >= MAX_PENDING_CHARS) {
      clearTimeout(timer);
      flush();
    } else timer ??= setTimeout(flush, FLUSH_MS).unref();
  };
}
