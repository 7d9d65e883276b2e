/**
 * Multi-task gain Δm (Maninis et al., CVPR 2019; Vandenhende et al., TPAMI 2021): the mean
 * relative change, in percent, of each task's metric for the multi-task model against that task's
 * own single-task baseline. Positive means the multi-task model is better on average.
 */
import { OptionError } from '../errors.js';

/**
 * Per-task relative gain in percent: (M_mt − M_st) / M_st × 100, sign flipped for tasks whose
 * metric is lower-is-better (log loss, Hamming loss). Both records must name the same tasks.
 */
export function taskDeltas(
  multi: Record<string, number>,
  single: Record<string, number>,
  lowerIsBetter: Record<string, boolean> = {},
): Record<string, number> {
  const tasks = Object.keys(multi);
  const singleTasks = Object.keys(single);
  const missing = tasks.filter((t) => !(t in single)).concat(singleTasks.filter((t) => !(t in multi)));
  if (tasks.length === 0 || missing.length > 0) {
    throw new OptionError(
      'eval-task-mismatch',
      tasks.length === 0
        ? 'Δm needs at least one task'
        : `multi-task and single-task results must name the same tasks; unmatched: ${missing.join(', ')}`,
      { multi: tasks, single: singleTasks, unmatched: missing },
    );
  }
  const out: Record<string, number> = {};
  for (const task of tasks) {
    const mt = multi[task]!;
    const st = single[task]!;
    if (!Number.isFinite(mt) || !Number.isFinite(st) || st === 0) {
      throw new OptionError(
        'eval-bad-baseline',
        `task '${task}': Δm needs finite metrics and a non-zero single-task value (multi ${mt}, single ${st})`,
        { task, multi: mt, single: st },
      );
    }
    const sign = lowerIsBetter[task] === true ? -1 : 1;
    out[task] = (sign * (mt - st) * 100) / st;
  }
  return out;
}

/** Δm = mean over tasks of the per-task relative gains of `taskDeltas`, in percent. */
export function deltaM(
  multi: Record<string, number>,
  single: Record<string, number>,
  lowerIsBetter: Record<string, boolean> = {},
): number {
  const deltas = Object.values(taskDeltas(multi, single, lowerIsBetter));
  return deltas.reduce((a, b) => a + b, 0) / deltas.length;
}
