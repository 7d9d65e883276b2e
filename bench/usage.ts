/**
 * `--help` or `-h` on a bench prints its header comment (what it measures, how to run it, its flags)
 * and exits, instead of starting what may be many minutes of training and reference runs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function exitOnHelp(moduleUrl: string): void {
  if (!process.argv.slice(2).some((a) => a === '--help' || a === '-h')) return;
  const head = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(fileURLToPath(moduleUrl), 'utf8'));
  const text = head ? head[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n').trim() : 'no usage text';
  process.stdout.write(`${text}\n`);
  process.exit(0);
}
