/**
 * The validation split during boosting: its raw scores, kept up to date tree by tree (as passengers
 * of the growth when its rows can be binned, by the float predictor otherwise), and each task's
 * early stopping. A task without labelled validation rows cannot stop: it trains to the cap.
 */
import type { TaskLabels } from '../data/schema.js';
import { binColumns, type FeatureBins } from './binning.js';
import type { GrownTree, LeafRows, Passengers } from './grow.js';
import { addLeafValues } from './leaves.js';
import type { TreeInputs, TreeTask } from './model.js';
import { addTree } from './predict.js';
import { iota } from './sampling.js';
import { EarlyStop, meanScore, scoreValidation, type TaskScore } from './stopping.js';
import type { TreeWork } from './work.js';

function labelled(l: TaskLabels): number {
  let count = 0;
  if (l.type === 'multilabel') for (const m of l.mask) count += m;
  else for (const c of l.classIndex) if (c >= 0) count++;
  return count;
}

export class ValidationWatch {
  private raw: Float64Array;
  private bins: Uint8Array[] | null;
  private readonly watched: boolean[];
  private readonly stops: EarlyStop[];
  private readonly shell: { tasks: TreeTask[]; outputCount: number };
  private readonly order: Int32Array;
  private readonly rows: Int32Array;
  /** Each task's latest score: a stopped task's scores no longer change, so it is not scored again. */
  private readonly latest: TaskScore[];

  constructor(
    private readonly split: { inputs: TreeInputs; labels: TaskLabels[] }, features: FeatureBins[], tasks: TreeTask[], base: Float32Array,
    stopOn: 'metric' | 'loss', patience: number,
  ) {
    const rows = split.inputs.rowCount;
    const n = base.length;
    this.shell = { tasks, outputCount: n };
    this.raw = new Float64Array(rows * n);
    for (let i = 0; i < rows; i++) this.raw.set(base, i * n);
    this.bins = binColumns(features, split.inputs);
    this.order = iota(rows);
    this.rows = new Int32Array(rows);
    this.watched = split.labels.map((l) => labelled(l) > 0);
    this.stops = tasks.map(() => new EarlyStop(stopOn, patience));
    this.latest = this.scores(tasks.map(() => true));
    this.latest.forEach((s, t) => {
      if (this.watched[t]) this.stops[t]!.update(0, s);
    });
  }

  /** The validation rows as passengers of a tree's growth (one buffer, reset for each tree), or null when they must be predicted apart. */
  passengers(): Passengers | null {
    if (!this.bins) return null;
    this.rows.set(this.order);
    return { columns: this.bins, rows: this.rows };
  }

  /** The raw scores and binned columns moved to `work`'s shared memory, for trees grown on its threads (null: rows not binned). */
  shareWith(work: TreeWork): { raw: Float64Array; columns: Uint8Array; rows: number } | null {
    if (!this.bins) return null;
    const rows = this.split.inputs.rowCount;
    const columns = work.shareColumns(this.bins, rows);
    this.bins = this.bins.map((_, f) => columns.subarray(f * rows, (f + 1) * rows));
    this.raw = work.share(this.raw);
    return { raw: this.raw, columns, rows };
  }

  /** Adds a new tree to the validation scores, from the leaves its passengers reached when given. */
  add(grown: GrownTree, byLeaf: LeafRows | null): void {
    if (byLeaf) addLeafValues(grown, byLeaf, this.raw, this.shell.outputCount);
    else addTree(grown.tree, this.split.inputs, this.raw, this.shell.outputCount);
  }

  /** Scores of the tasks `which` says yes to; the others keep their latest. */
  private scores(which: boolean[]): TaskScore[] {
    const picked = this.shell.tasks.map((_, t) => t).filter((t) => which[t]);
    const fresh = scoreValidation({ ...this.shell, tasks: picked.map((t) => this.shell.tasks[t]!) }, picked.map((t) => this.split.labels[t]!), this.raw, this.split.inputs.rowCount);
    const out = (this.latest ?? []).slice();
    picked.forEach((t, j) => (out[t] = fresh[j]!));
    return out;
  }

  /** Scores round `round`, stops the tasks out of patience (in `active`), and returns the mean loss and score. */
  update(round: number, active: boolean[]): { validLoss?: number; validScore?: number } {
    if (!this.watched.some(Boolean)) return {};
    const scores = this.scores(active);
    this.latest.splice(0, scores.length, ...scores);
    scores.forEach((s, t) => {
      if (this.watched[t] && active[t] && this.stops[t]!.update(round, s)) active[t] = false;
    });
    const mean = meanScore(scores.filter((_, t) => this.watched[t]));
    return { validLoss: mean.loss, validScore: mean.metric };
  }

  /** The round task t's trees are cut at (`last` when it was never watched). */
  bestRound(t: number, last: number): number {
    return this.watched[t] ? this.stops[t]!.bestRound : last;
  }
}
