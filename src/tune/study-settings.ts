/**
 * What a study's settings come to before any trial: roughly the training rows and the tasks (to size
 * the default space), the longest a trial can train (epochs for networks, rounds for trees: the
 * rungs of successive halving sit below them), and the settings that make two workers' studies the
 * same one.
 */
import { inferSchema } from '../data/infer.js';
import { readTable } from '../data/read.js';
import { inferOptionsOf, readOptionsOf, type TableSettings } from '../data/settings.js';
import { trainingBudget } from '../train/budget.js';
import type { TrainOptions } from '../train/options.js';
import { DEFAULT_GBDT_OPTIONS } from '../trees/index.js';
import { defaultFirstRung, rungsBelow, type Halving, type RungUnit } from './asha.js';
import type { ResolvedTuneOptions } from './options.js';
import type { SearchSpace } from './space.js';

/**
 * Roughly the training rows, to size the default space: the held-out shares come off the file's
 * rows. Inferring the schema here refuses a bad table or task before the study is created.
 */
export async function dataShape(data: string, t: TrainOptions): Promise<{ rows: number; tasks: number }> {
  const table = await readTable(data, readOptionsOf(t as TableSettings));
  const schema = inferSchema(table, { ...inferOptionsOf(t as TableSettings), ...(t.tasks !== undefined ? { tasks: t.tasks } : {}) });
  const heldOut = (t.validFraction ?? 0.1) + (t.test || t.splitColumn ? 0 : (t.testFraction ?? 0.2));
  return { rows: Math.max(1, Math.round(table.rowCount * (1 - heldOut))), tasks: schema.tasks.length };
}

/** The largest value the space gives option `name`, else `fallback`. */
function largest(space: SearchSpace, name: string, fallback: number): number {
  const p = space.find((q) => q.name === name);
  if (!p) return fallback;
  return p.type === 'range' ? p.high : Math.max(...p.choices.map(Number).filter(Number.isFinite));
}

/** The most epochs a network trial and the most rounds a tree trial can train. */
export function trialLengths(space: SearchSpace, t: TrainOptions, rows: number): Record<RungUnit, number> {
  const budget = () => trainingBudget(rows, { ...(t.batchSize ? { batchSize: t.batchSize } : {}), ...(t.patience !== undefined ? { patience: t.patience } : {}) }).epochs;
  // The option's type is the union of the tree options' (see treeOption in train/options.ts); rounds is a count.
  const rounds = t.rounds as number | undefined;
  return { epoch: largest(space, 'epochs', t.epochs ?? budget()), round: largest(space, 'rounds', rounds ?? DEFAULT_GBDT_OPTIONS.rounds) };
}

export function halvingOf(o: ResolvedTuneOptions, lengths: Record<RungUnit, number>): Halving | null {
  if (!o.prune) return null;
  return { eta: o.eta, minEpochs: o.minEpochs ?? defaultFirstRung(o.eta, lengths.epoch), minRounds: o.minRounds ?? defaultFirstRung(o.eta, lengths.round) };
}

export function rungsOf(halving: Halving | null, lengths: Record<RungUnit, number>): Record<RungUnit, number[]> {
  if (!halving) return { epoch: [], round: [] };
  return { epoch: rungsBelow(halving.minEpochs, halving.eta, lengths.epoch), round: rungsBelow(halving.minRounds, halving.eta, lengths.round) };
}

/** What makes two workers' studies the same one: not file paths (they differ between machines), threads, or the retrain's baseline. */
export function studyConfig(o: ResolvedTuneOptions, space: SearchSpace, lengths: Record<RungUnit, number>, halving: Halving | null) {
  const { test: _test, threads: _threads, baseline: _baseline, ...train } = o.train;
  return { format: 'polyhead-study', version: 2, train, space, sampler: o.sampler, startup: o.startup, defaultsFirst: o.defaultsFirst, epochs: lengths.epoch, rounds: lengths.round, halving };
}
