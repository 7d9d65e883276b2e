/**
 * A study in one JSON-lines file: each change is a line appended and synced to disk before the call
 * returns, so a killed run loses nothing that was acknowledged. A line cut short by a kill is dropped
 * on open. A lock file beside it (holding the pid) keeps a second worker out: several workers need
 * the PostgreSQL store. Since a file has one worker, a trial found running on open was left by a
 * killed run, and is handed back (once) to be run again.
 */
import { mkdir, open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DataError, OptionError } from '../errors.js';
import { canonicalJson, type Propose, type RungRecord, type StudyConfig, type StudyStore, type TrialRecord, type TrialResult, type TrialState } from './store.js';

type Line =
  | { kind: 'study'; config: StudyConfig }
  | { kind: 'claim'; trial: TrialRecord }
  | { kind: 'rung'; rung: RungRecord }
  | { kind: 'finish'; trial: number; state: Exclude<TrialState, 'running'>; result: TrialResult };

export class FileStore implements StudyStore {
  private handle: FileHandle | null = null;
  private config: StudyConfig | null = null;
  private readonly byNumber = new Map<number, TrialRecord>();
  private readonly rungList: RungRecord[] = [];
  private readonly orphans: number[] = [];

  constructor(readonly location: string) {}

  private get lockPath(): string {
    return `${this.location}.lock`;
  }

  async open(config: StudyConfig): Promise<void> {
    await mkdir(dirname(this.location), { recursive: true });
    await this.lock();
    try {
      await this.load();
      if (this.config && canonicalJson(this.config) !== canonicalJson(config)) {
        throw new OptionError('study-mismatch', `the study in ${this.location} was created with other settings (space, sampler, seed, tasks or epochs); use another --storage file, or delete it to start over`, { file: this.location });
      }
      this.handle = await open(this.location, 'a');
      if (!this.config) await this.append({ kind: 'study', config });
    } catch (err) {
      await this.close();
      throw err;
    }
    this.config = config;
    for (const t of this.byNumber.values()) if (t.state === 'running') this.orphans.push(t.number);
  }

  private async lock(): Promise<void> {
    const mine = `${process.pid} ${hostname()}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.lockPath, mine, { flag: 'wx' });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const [pid, host] = (await readFile(this.lockPath, 'utf8').catch(() => '')).split(' ');
      if (host === hostname() && pid && alive(Number(pid))) {
        throw new OptionError('study-locked', `another 'polyhead tune' (pid ${pid}) is working on ${this.location}; a file study has one worker — for several, use --storage postgres://...`, { file: this.location, pid: Number(pid) });
      }
      await rm(this.lockPath, { force: true });
    }
    throw new OptionError('study-locked', `cannot lock ${this.location} (${this.lockPath} keeps reappearing)`, { file: this.location });
  }

  private async load(): Promise<void> {
    const text = await readFile(this.location, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
    const end = text.lastIndexOf('\n') + 1;
    // A kill while appending leaves a partial last line: it was never acknowledged, so drop it.
    if (end < text.length) await truncate(this.location, Buffer.byteLength(text.slice(0, end)));
    text.slice(0, end).split('\n').forEach((raw, i) => {
      if (!raw) return;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        throw new DataError('bad-study-file', 'not a JSON line of a polyhead study; delete the file to start the study over', { file: this.location, line: i + 1 });
      }
      this.apply(line);
    });
  }

  private apply(line: Line): void {
    if (line.kind === 'study') this.config = line.config;
    else if (line.kind === 'claim') this.byNumber.set(line.trial.number, line.trial);
    else if (line.kind === 'rung') this.rungList.push(line.rung);
    else {
      const t = this.byNumber.get(line.trial);
      if (t) this.byNumber.set(line.trial, { ...t, state: line.state, result: line.result });
    }
  }

  /** Applied in memory at once (so concurrent calls see it), acknowledged once on disk. */
  private async append(line: Line): Promise<void> {
    if (!this.handle) throw new Error('FileStore used before open()');
    this.apply(line);
    await this.handle.write(`${JSON.stringify(line)}\n`);
    await this.handle.datasync();
  }

  async reclaim(worker: string): Promise<TrialRecord | null> {
    const number = this.orphans.shift();
    if (number === undefined) return null;
    const trial = { ...this.byNumber.get(number)!, worker };
    await this.append({ kind: 'claim', trial });
    return trial;
  }

  async claim(worker: string, limit: number | null, propose: Propose): Promise<TrialRecord | null> {
    const number = this.byNumber.size;
    if (limit !== null && number >= limit) return null;
    const trial: TrialRecord = { number, params: propose(this.sorted(), number), state: 'running', worker };
    await this.append({ kind: 'claim', trial });
    return trial;
  }

  /** A file has one worker: nobody else would take its trials over. */
  async keepAlive(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async report(rung: RungRecord): Promise<void> {
    await this.append({ kind: 'rung', rung });
  }

  async finish(trial: number, state: Exclude<TrialState, 'running'>, result: TrialResult): Promise<void> {
    await this.append({ kind: 'finish', trial, state, result });
  }

  private sorted(): TrialRecord[] {
    return [...this.byNumber.values()].sort((a, b) => a.number - b.number);
  }

  async trials(): Promise<TrialRecord[]> {
    return this.sorted();
  }

  async rungs(): Promise<RungRecord[]> {
    return [...this.rungList];
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    await rm(this.lockPath, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
