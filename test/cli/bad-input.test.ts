/**
 * The bad-input table: every kind of bad input run through every command that takes it. For each
 * run: the exit code of its error class, a message that names the file / line / column / option at
 * fault, no stack trace, and nothing left behind (no model folder, no predictions file, no temp file).
 * A new command adds its column here; a new kind of bad input adds a row.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync, linkSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, type CliResult } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-bad-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function goodTable(rows: number): string {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = ['a,b,c,y,z'];
  for (let i = 0; i < rows; i++) {
    const a = rand();
    lines.push(`${a.toFixed(4)},${'uvw'[i % 3]},${Math.floor(rand() * 10)},${a + rand() * 0.3 > 0.6 ? 'yes' : 'no'},${'pqr'[(i + Math.floor(a * 3)) % 3]}`);
  }
  return `${lines.join('\n')}\n`;
}

const good = file('good.csv', goodTable(300));
const model = join(dir, 'model');
/** A model of task y alone: fusing it with `model` is refused. */
const modelOfY = join(dir, 'model-y');

/** Data files that no command may accept, and what the message must name. */
const badData: { name: string; path: string; expect: RegExp }[] = [
  { name: 'empty file', path: file('empty.csv', ''), expect: /empty\.csv: the file is empty/ },
  { name: 'header only', path: file('header.csv', 'a,b,c,y,z\n'), expect: /header\.csv: the file has no data rows/ },
  { name: 'ragged rows', path: file('ragged.csv', 'a,b,c,y,z\n0.5,u,1,yes,p\n0.7,v\n'), expect: /ragged\.csv: line 3 has 2 fields, expected 5/ },
  { name: 'binary content', path: file('binary.csv', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256))), expect: /binary\.csv: .*binary data/ },
  { name: 'wrong extension (CSV text named .parquet)', path: file('table.parquet', goodTable(5)), expect: /table\.parquet: expected a Parquet file .* text starting with "a,b,c,y,z"/ },
  { name: 'wrong extension (zip named .xlsx)', path: file('sheet.xlsx', Buffer.from('PK\u0003\u0004 not a table\u0000\u0001')), expect: /sheet\.xlsx: .*zip archive/ },
  {
    name: 'a field larger than the limit',
    path: file('huge.csv', `${goodTable(20)}0.5,${'x'.repeat(3 * 1024 * 1024)},1,yes,p\n`),
    expect: /huge\.csv, line 22, column 'b': a field of 3\.0 MiB/,
  },
];

function runs(path: string, out: string): Record<string, string[]> {
  return {
    inspect: ['inspect', path],
    train: ['train', path, '--tasks', 'y,z', '--epochs', '1', '--out', out],
    eval: ['eval', model, path],
    predict: ['predict', model, path, '--out', `${out}.csv`],
    fuse: ['fuse', model, model, '--data', path, '--out', out],
  };
}

/** Everything a failed run must hold to: code, message, no stack, nothing written. */
function assertRefused(r: CliResult, code: number, expect: RegExp, out: string): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr.slice(0, 500)})`);
  assert.match(r.stderr, expect);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
  assert.ok(r.stderr.length < 2000, `a short message (${r.stderr.length} characters)`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  for (const left of [out, `${out}.csv`]) assert.ok(!existsSync(left), `${left} must not be written`);
  const strays = readdirSync(dir).filter((f) => f.includes('.tmp') || f.includes('checkpoint'));
  assert.deepEqual(strays, [], 'no temporary or checkpoint files left');
}

let serial = 0;
const outPath = () => join(dir, `out-${serial++}`);

before(async () => {
  const r = await runCli(['train', good, '--tasks', 'y,z', '--epochs', '1', '--no-baseline', '--out', model, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const y = await runCli(['train', good, '--tasks', 'y', '--arch', 'gbdt', '--rounds', '2', '--out', modelOfY, '--quiet']);
  assert.equal(y.code, 0, y.stderr);
});

describe('bad data files, through every command', () => {
  for (const bad of badData) {
    for (const command of ['inspect', 'train', 'eval', 'predict', 'fuse']) {
      test(`${bad.name} → ${command}`, async () => {
        const out = outPath();
        assertRefused(await runCli(runs(bad.path, out)[command]!), 3, bad.expect, out);
      });
    }
  }
});

describe('bad options', () => {
  const cases: { name: string; args: (out: string) => string[]; code: number; expect: RegExp }[] = [
    { name: 'inspect: unknown task', args: () => ['inspect', good, '--tasks', 'nope'], code: 3, expect: /good\.csv: no column 'nope' .*available columns: a, b, c, y, z/ },
    { name: 'train: unknown task', args: (o) => ['train', good, '--tasks', 'nope', '--out', o], code: 3, expect: /no column 'nope' \(the label of task 'nope'\)/ },
    { name: 'inspect: unknown kind', args: () => ['inspect', good, '--kinds', 'a=bogus'], code: 2, expect: /kind 'bogus' for column 'a' is not allowed; allowed: numeric/ },
    { name: 'train: unknown architecture', args: (o) => ['train', good, '--tasks', 'y', '--arch', 'foo', '--out', o], code: 2, expect: /option 'arch' = "foo": unknown architecture; choose one of: .*shared-bottom/ },
    { name: 'train: negative epochs', args: (o) => ['train', good, '--tasks', 'y', '--epochs', '-3', '--out', o], code: 2, expect: /option 'epochs' = -3/ },
    { name: 'train: not a number', args: (o) => ['train', good, '--tasks', 'y', '--lr', 'fast', '--out', o], code: 2, expect: /--lr.*'fast'/ },
    { name: 'inspect: unknown format', args: () => ['inspect', good, '--format', 'xls'], code: 2, expect: /unknown format 'xls'; allowed: csv/ },
    { name: 'train: unknown member', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt,nope', '--out', o], code: 2, expect: /option 'members\.1' = \["gbdt","nope"\]: unknown architecture; choose one of: .*gbdt/ },
    { name: 'train: --members with --arch', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt,mmoe', '--arch', 'mmoe', '--out', o], code: 2, expect: /--arch mmoe trains one model, --members several; keep one/ },
    { name: 'train: --members with --preset', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt', '--preset', 'fast', '--out', o], code: 2, expect: /--members and --preset both say which members to train/ },
    { name: 'train: a member listed twice', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt,gbdt', '--out', o], code: 2, expect: /member 'gbdt' is listed twice/ },
    { name: 'train: unknown fusion', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt,mmoe', '--fusion', 'vote', '--out', o], code: 2, expect: /option 'fusion' = "vote": unknown fusion method; choose one of: mean, select, stack, best/ },
    { name: 'train: --fusion without members', args: (o) => ['train', good, '--tasks', 'y', '--fusion', 'stack', '--out', o], code: 2, expect: /--fusion applies to a fused model; add --members/ },
    { name: 'train: unknown preset', args: (o) => ['train', good, '--tasks', 'y', '--preset', 'huge', '--out', o], code: 2, expect: /option 'preset' = "huge"/ },
    { name: 'train: time limit not a number', args: (o) => ['train', good, '--tasks', 'y', '--preset', 'fast', '--time-limit', 'soon', '--out', o], code: 2, expect: /--time-limit expects a number, got 'soon'/ },
    { name: 'train: fusion share too large', args: (o) => ['train', good, '--tasks', 'y', '--preset', 'fast', '--fusion-share', '0.9', '--out', o], code: 2, expect: /option 'fusionShare' = 0\.9/ },
    { name: 'train: --bag without members', args: (o) => ['train', good, '--tasks', 'y', '--bag', '5', '--out', o], code: 2, expect: /--bag applies to a fused model; add --members/ },
    { name: 'train: --bag of one fold', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt', '--bag', '1', '--out', o], code: 2, expect: /option 'bag' = 1/ },
    { name: 'train: --bag with --fusion-share', args: (o) => ['train', good, '--tasks', 'y', '--members', 'gbdt', '--bag', '3', '--fusion-share', '0.2', '--out', o], code: 2, expect: /--bag 3 fits the fusion on out-of-fold predictions .*; keep one/ },
    { name: 'train: unknown decision rule', args: (o) => ['train', good, '--tasks', 'y', '--preset', 'fast', '--decision', 'vote', '--out', o], code: 2, expect: /option 'decision' = "vote"/ },
    { name: 'predict: --join for a model trained without one', args: () => ['predict', model, good, '--join', good, '--on', 'a'], code: 2, expect: /was trained without --join; drop --join and --on/ },
    { name: 'fuse: unknown decision rule', args: (o) => ['fuse', model, model, '--data', good, '--decision', 'vote', '--out', o], code: 2, expect: /--decision expects argmax or macro-f1, got 'vote'/ },
    { name: 'fuse: one model', args: (o) => ['fuse', model, '--data', good, '--out', o], code: 2, expect: /fuse needs at least two model folders; got 1/ },
    { name: 'fuse: unknown method', args: (o) => ['fuse', model, model, '--data', good, '--method', 'vote', '--out', o], code: 2, expect: /unknown fusion method 'vote'; choose one of: mean, select, stack, best/ },
    { name: 'fuse: models of other tasks', args: (o) => ['fuse', model, modelOfY, '--data', good, '--out', o], code: 4, expect: /model-y cannot be fused with .*model: it predicts 1 tasks \(y\), not 2/ },
    { name: 'fuse: not a model folder', args: (o) => ['fuse', model, join(dir, 'nowhere'), '--data', good, '--out', o], code: 4, expect: /nowhere is not a polyhead model folder/ },
    { name: 'fuse: data without a label column', args: (o) => ['fuse', model, model, '--data', file('fuse-no-z.csv', 'a,b,c,y\n0.5,u,3,yes\n'), '--out', o], code: 3, expect: /fuse-no-z\.csv, column 'z': task 'z' needs column 'z' to fit the fusion/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const out = outPath();
      assertRefused(await runCli(c.args(out)), c.code, c.expect, out);
    });
  }
});

describe('bad model folders, through eval and predict', () => {
  const made = new Map<string, string>();
  const copy = (name: string, change: (folder: string) => void): string => {
    const folder = join(dir, name);
    if (made.has(name)) return folder;
    cpSync(model, folder, { recursive: true });
    change(folder);
    made.set(name, folder);
    return folder;
  };
  const spare = (name: string): string => {
    const path = join(dir, name);
    cpSync(join(model, 'model.onnx'), path);
    return path;
  };
  const resign = (folder: string) => {
    const meta = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(folder, 'model.onnx'));
    meta.files['model.onnx'] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    writeFileSync(join(folder, 'model.json'), JSON.stringify(meta));
  };
  const onnx = () => readFileSync(join(model, 'model.onnx'));
  const cases: { name: string; folder: () => string; data?: string; code: number; expect: RegExp }[] = [
    { name: 'not a model folder', folder: () => join(dir, 'nowhere'), code: 4, expect: /nowhere is not a polyhead model folder/ },
    { name: 'tampered model.onnx', folder: () => copy('tampered', (f) => writeFileSync(join(f, 'model.onnx'), Buffer.concat([onnx(), Buffer.from([1])]))), code: 4, expect: /model\.onnx does not match the size and sha256 recorded in model\.json/ },
    {
      name: 'truncated model.onnx (checksum updated to match)',
      folder: () => copy('truncated', (f) => (writeFileSync(join(f, 'model.onnx'), onnx().subarray(0, 500)), resign(f))),
      code: 4,
      expect: /truncated\/model\.onnx .*not a valid ONNX model/,
    },
    { name: 'truncated model.json', folder: () => copy('truncated-json', (f) => writeFileSync(join(f, 'model.json'), readFileSync(join(model, 'model.json')).subarray(0, 100))), code: 4, expect: /model\.json is not valid JSON/ },
    { name: 'model.onnx is a symlink', folder: () => copy('symlinked', (f) => (rmSync(join(f, 'model.onnx')), symlinkSync(spare('symlink-target.onnx'), join(f, 'model.onnx')))), code: 4, expect: /symlinked\/model\.onnx is a symbolic link/ },
    { name: 'model.onnx is a hard link', folder: () => copy('hardlinked', (f) => (rmSync(join(f, 'model.onnx')), linkSync(spare('hardlink-target.onnx'), join(f, 'model.onnx')))), code: 4, expect: /hardlinked\/model\.onnx has 2 hard links/ },
    { name: 'a feature column missing from the data', folder: () => model, data: file('no-b.csv', 'a,c,y,z\n0.5,3,yes,p\n'), code: 3, expect: /no-b\.csv, column 'b': column 'b' is missing; the feature plan needs it/ },
  ];
  for (const c of cases) {
    for (const command of ['eval', 'predict']) {
      test(`${c.name} → ${command}`, async () => {
        const out = outPath();
        const folder = c.folder();
        const args = command === 'eval' ? ['eval', folder, c.data ?? good] : ['predict', folder, c.data ?? good, '--out', `${out}.csv`];
        assertRefused(await runCli(args), c.code, c.expect, out);
      });
    }
  }
});
