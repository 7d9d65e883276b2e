import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';

const benches = readdirSync(join(PACKAGE_ROOT, 'bench'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && readFileSync(join(PACKAGE_ROOT, 'bench', f), 'utf8').includes('exitOnHelp(import.meta.url)'));

test('every bench script answers --help with its header comment and starts no run', () => {
  assert.ok(benches.length >= 10, `bench scripts with --help: ${benches.join(' ')}`);
  for (const f of benches) {
    const source = readFileSync(join(PACKAGE_ROOT, 'bench', f), 'utf8');
    const firstLine = /\/\*\*\s*\n\s*\* (.*)/.exec(source)![1]!;
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bench', f.replace(/\.ts$/, '.js')), '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.ok(r.stdout.startsWith(firstLine), `${f} prints its header: ${r.stdout.slice(0, 120)}`);
    assert.equal(r.stderr, '', `${f} writes nothing else`);
  }
});
