/**
 * Split importance per task and feature: the gain of every split of the kept trees, each tree
 * output's share credited to the task that output belongs to, and the number of splits a task took
 * part in. A per-task tree credits its own task only.
 */
import type { GrownTree } from './grow.js';
import type { TreeTask } from './model.js';

export interface FeatureImportance {
  task: string;
  gain: Float64Array;
  splits: Int32Array;
}

/** What importance needs of a grown tree: its nodes' per-output gains and whose outputs were searched. */
export interface TreeRecord {
  grown: Pick<GrownTree, 'tree' | 'outputGain'>;
  /** Task index of each output of the tree as grown (outputGain's columns). */
  outputTasks: Int32Array;
  /** Per task, whether the tree still serves it after the ensemble was cut at the task's best round. */
  credited: boolean[];
}

export function featureImportance(tasks: TreeTask[], featureCount: number, records: TreeRecord[]): FeatureImportance[] {
  const out = tasks.map((t) => ({ task: t.name, gain: new Float64Array(featureCount), splits: new Int32Array(featureCount) }));
  for (const { grown, outputTasks, credited } of records) {
    const k = outputTasks.length;
    const feature = grown.tree.feature;
    for (let node = 0; node < feature.length; node++) {
      const f = feature[node]!;
      if (f < 0) continue;
      const seen = new Set<number>();
      for (let j = 0; j < k; j++) {
        const t = outputTasks[j]!;
        if (!credited[t]) continue;
        out[t]!.gain[f] += grown.outputGain[node * k + j]!;
        seen.add(t);
      }
      for (const t of seen) out[t]!.splits[f]++;
    }
  }
  return out;
}
