/**
 * A study in PostgreSQL, shared by any number of workers on any number of machines (as Optuna's RDB
 * storage scales tuning out). Claiming a new trial locks the study's row, so proposals see every
 * trial claimed before them and trial numbers are unique (the primary key says so too). A running
 * trial is kept alive by heartbeats from a thread of its own (heartbeat-thread.ts); one silent for
 * longer than `staleAfter` seconds (its worker died) is re-claimed by one other worker with
 * `FOR UPDATE SKIP LOCKED`.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { OptionError, PolyheadError } from '../errors.js';
import { canonicalJson, type Propose, type RungRecord, type StudyConfig, type StudyStore, type TrialRecord, type TrialResult, type TrialState } from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS polyhead_studies (name text PRIMARY KEY, config jsonb NOT NULL, created timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS polyhead_trials (
  study text NOT NULL REFERENCES polyhead_studies(name) ON DELETE CASCADE,
  number integer NOT NULL,
  params jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'cut', 'failed')),
  worker text NOT NULL,
  heartbeat timestamptz NOT NULL DEFAULT now(),
  result jsonb,
  PRIMARY KEY (study, number));
CREATE TABLE IF NOT EXISTS polyhead_rungs (
  study text NOT NULL, trial integer NOT NULL, unit text NOT NULL CHECK (unit IN ('epoch', 'round')), at integer NOT NULL,
  score double precision NOT NULL, stop boolean NOT NULL,
  PRIMARY KEY (study, trial, unit, at),
  FOREIGN KEY (study, trial) REFERENCES polyhead_trials(study, number) ON DELETE CASCADE);`;

interface TrialRow {
  number: number;
  params: TrialRecord['params'];
  state: TrialState;
  worker: string;
  result: TrialResult | null;
}

const toRecord = (r: TrialRow): TrialRecord => ({ number: r.number, params: r.params, state: r.state, worker: r.worker, ...(r.result ? { result: r.result } : {}) });

export interface PostgresStoreOptions {
  url: string;
  study: string;
  /** Seconds without a heartbeat after which a running trial counts as abandoned. */
  staleAfter?: number;
}

export class PostgresStore implements StudyStore {
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly url: string;
  private readonly study: string;
  private readonly staleAfter: number;

  constructor(o: PostgresStoreOptions) {
    const url = new URL(o.url);
    if (url.password) url.password = '***';
    this.location = `${url.toString()} (study '${o.study}')`;
    this.pool = new pg.Pool({ connectionString: o.url, max: 2 });
    // An idle client losing its server is reported by the next query; do not crash on the event.
    this.pool.on('error', () => undefined);
    this.url = o.url;
    this.study = o.study;
    this.staleAfter = o.staleAfter ?? 120;
  }

  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((err: Error) => {
      throw new OptionError('storage-unreachable', `cannot connect to ${this.location}: ${err.message}; check the --storage URL and that the server is running`, { storage: this.location });
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, values)).rows;
    } catch (err) {
      throw new PolyheadError('storage-failed', `the study storage ${this.location} failed: ${(err as Error).message}; the trials recorded so far are kept, run again to resume`, { storage: this.location });
    }
  }

  async open(config: StudyConfig): Promise<void> {
    const stored = await this.transaction(async (c) => {
      // Two workers starting at once would race on CREATE TABLE IF NOT EXISTS; take turns.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('polyhead-tune-schema'))`);
      await c.query(SCHEMA);
      await c.query('INSERT INTO polyhead_studies (name, config) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [this.study, JSON.stringify(config)]);
      return (await c.query<{ config: StudyConfig }>('SELECT config FROM polyhead_studies WHERE name = $1', [this.study])).rows[0]!.config;
    });
    if (canonicalJson(stored) !== canonicalJson(config)) {
      throw new OptionError('study-mismatch', `the study ${this.location} was created with other settings (space, sampler, seed, tasks or epochs); give another --study name to start a new one`, { storage: this.location });
    }
  }

  async reclaim(worker: string): Promise<TrialRecord | null> {
    const rows = await this.transaction(async (c) => (await c.query<TrialRow>(
      `UPDATE polyhead_trials t SET worker = $2, heartbeat = now()
       FROM (SELECT number FROM polyhead_trials
             WHERE study = $1 AND state = 'running' AND heartbeat < now() - make_interval(secs => $3)
             ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED) s
       WHERE t.study = $1 AND t.number = s.number
       RETURNING t.number, t.params, t.state, t.worker, t.result`,
      [this.study, worker, this.staleAfter],
    )).rows);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async claim(worker: string, limit: number | null, propose: Propose): Promise<TrialRecord | null> {
    return this.transaction(async (c) => {
      await c.query('SELECT 1 FROM polyhead_studies WHERE name = $1 FOR UPDATE', [this.study]);
      const trials = (await c.query<TrialRow>('SELECT number, params, state, worker, result FROM polyhead_trials WHERE study = $1 ORDER BY number', [this.study])).rows.map(toRecord);
      const number = trials.length ? trials[trials.length - 1]!.number + 1 : 0;
      if (limit !== null && number >= limit) return null;
      const params = propose(trials, number);
      await c.query("INSERT INTO polyhead_trials (study, number, params, state, worker) VALUES ($1, $2, $3, 'running', $4)", [this.study, number, JSON.stringify(params), worker]);
      return { number, params, state: 'running' as const, worker };
    });
  }

  /** Beats four times per `staleAfter`, so a late beat or two does not lose the trial. */
  async keepAlive(trial: number): Promise<() => Promise<void>> {
    const thread = new Worker(new URL('./heartbeat-thread.js', import.meta.url), { workerData: { url: this.url, study: this.study, trial, everyMs: (this.staleAfter * 1000) / 4 } });
    const exited = once(thread, 'exit');
    await once(thread, 'message');
    return async () => {
      thread.postMessage('stop');
      await exited;
    };
  }

  async report(rung: RungRecord): Promise<void> {
    await this.query(
      'INSERT INTO polyhead_rungs (study, trial, unit, at, score, stop) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (study, trial, unit, at) DO UPDATE SET score = EXCLUDED.score, stop = EXCLUDED.stop',
      [this.study, rung.trial, rung.unit, rung.at, rung.score, rung.stop],
    );
  }

  async finish(trial: number, state: Exclude<TrialState, 'running'>, result: TrialResult): Promise<void> {
    await this.query('UPDATE polyhead_trials SET state = $3, result = $4 WHERE study = $1 AND number = $2', [this.study, trial, state, JSON.stringify(result)]);
  }

  async trials(): Promise<TrialRecord[]> {
    const rows = await this.query<TrialRow>('SELECT number, params, state, worker, result FROM polyhead_trials WHERE study = $1 ORDER BY number', [this.study]);
    return rows.map(toRecord);
  }

  async rungs(): Promise<RungRecord[]> {
    const rows = await this.query<RungRecord>('SELECT trial, unit, at, score, stop FROM polyhead_rungs WHERE study = $1 ORDER BY trial, unit, at', [this.study]);
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
