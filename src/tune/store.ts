/**
 * Where a study lives: its settings, its trials (claimed before they run, so a trial is never run
 * twice and never lost) and the rung scores successive halving compares. Two implementations share
 * this contract and one test suite: a JSON-lines file for one worker (file-store.ts) and PostgreSQL
 * for several workers on several machines (postgres-store.ts).
 */
import type { RungUnit } from './asha.js';
import type { Params } from './space.js';

/**
 * 'pruned': stopped at a rung by successive halving; 'cut': stopped by the study's time limit, with
 * what it reached by then. Both are finished: a resumed study never runs them again.
 */
export type TrialState = 'running' | 'complete' | 'pruned' | 'cut' | 'failed';

export interface TrialResult {
  /** Best validation score (mean of the tasks' main metrics, higher is better); null when none. */
  score: number | null;
  /** Epochs (a network) or boosting rounds (trees, with `unit: 'round'`) trained, and the best one. */
  epochs: number;
  bestEpoch: number;
  unit?: RungUnit;
  seconds: number;
  /** The same mean on the test rows, reported for information only: never used to choose. */
  testScore?: number | null;
  error?: string;
}

export interface TrialRecord {
  number: number;
  params: Params;
  state: TrialState;
  /** The worker that claimed (or re-claimed) the trial. */
  worker: string;
  result?: TrialResult;
}

export interface RungRecord {
  trial: number;
  unit: RungUnit;
  /** The rung: the epoch or round the trial reached. */
  at: number;
  /** The trial's best validation score by then. */
  score: number;
  /** The decision taken at arrival. */
  stop: boolean;
}

/** The settings a study was created with; a worker with other settings is refused. */
export type StudyConfig = Record<string, unknown>;

/** Proposes the parameters of trial `number` given every trial recorded so far. */
export type Propose = (trials: TrialRecord[], number: number) => Params;

export interface StudyStore {
  /** Where the study is, for messages. */
  readonly location: string;
  /** Creates the study, or checks that the existing one has the same settings. */
  open(config: StudyConfig): Promise<void>;
  /**
   * Claims a trial a dead worker left running (on the file store: any, since a file has one worker),
   * or null. Each such trial is handed to one caller only.
   */
  reclaim(worker: string): Promise<TrialRecord | null>;
  /** Claims the next trial number with the proposed parameters, or null once `limit` trials exist. */
  claim(worker: string, limit: number | null, propose: Propose): Promise<TrialRecord | null>;
  /**
   * Says the worker is running the trial until the returned function is called (the PostgreSQL store
   * re-claims silent ones). It keeps saying so while this thread is busy: boosting is synchronous.
   */
  keepAlive(trial: number): Promise<() => Promise<void>>;
  report(rung: RungRecord): Promise<void>;
  finish(trial: number, state: Exclude<TrialState, 'running'>, result: TrialResult): Promise<void>;
  trials(): Promise<TrialRecord[]>;
  rungs(): Promise<RungRecord[]>;
  close(): Promise<void>;
}

/** JSON with sorted keys, so that settings compare equal whatever order a store returns them in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
