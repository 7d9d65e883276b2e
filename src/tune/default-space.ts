/**
 * The search space used when no space file says otherwise, sized to the training rows: widths around
 * the ones the trainer picks by default for that many rows (src/arch/architecture.ts), batch sizes
 * around the budget's (src/train/budget.ts), log-uniform rates over two decades either side of the
 * defaults. Architecture-specific options are conditioned on the architecture, the boosted-tree
 * options appear only when the trainer knows a tree architecture, and the loss weighting only for
 * several tasks on an architecture that shares parameters between them.
 */
import { ARCHITECTURES } from '../arch/index.js';
import { trainingBudget } from '../train/budget.js';
import { trainOptionsSchema } from '../train/options.js';
import { parseWeightingOptions, WEIGHTINGS } from '../weighting/index.js';
import type { ParamValue, SearchSpace, SpaceParam } from './space.js';

const TREE_ARCHS = ['gbdt', 'gbdt-per-task'];
const EXPERT_ARCHS = ['mmoe', 'ple'];

const pow2 = (x: number): number => 2 ** Math.round(Math.log2(Math.max(1, x)));

/** Weighting methods that run without options of their own ('fixed' needs the user's weights). */
const weightings = (): string[] => WEIGHTINGS.filter((w) => {
  try {
    parseWeightingOptions(w, {});
    return true;
  } catch {
    return false;
  }
});

export function defaultSpace(trainRows: number, tasks = 1): SearchSpace {
  const options = new Set(Object.keys(trainOptionsSchema.shape));
  const archs = [...ARCHITECTURES, ...TREE_ARCHS.filter((a) => !ARCHITECTURES.includes(a))].filter((a) => trainOptionsSchema.shape.arch.safeParse(a).success);
  const neural = archs.filter((a) => !TREE_ARCHS.includes(a));
  const trees = archs.filter((a) => TREE_ARCHS.includes(a));
  const width = trainRows < 10_000 ? 128 : trainRows < 100_000 ? 256 : 512;
  const batch = trainingBudget(trainRows, {}).batchSize;
  const batches = [...new Set([batch / 2, batch, batch * 2].map((b) => Math.max(16, Math.min(pow2(trainRows), b))))];
  const onlyNeural = trees.length ? { when: { arch: neural } } : {};

  const space: SpaceParam[] = [
    { name: 'arch', type: 'choice', choices: archs },
    { name: 'hidden', type: 'choice', choices: [[width / 2], [width], [width, width / 2], [width * 2, width]] as ParamValue[], ...onlyNeural },
    { name: 'dropout', type: 'range', low: 0, high: 0.5, log: false, int: false, ...onlyNeural },
    { name: 'lr', type: 'range', low: 2e-4, high: 2e-2, log: true, int: false, ...onlyNeural },
    { name: 'batchSize', type: 'choice', choices: batches, ...onlyNeural },
    { name: 'weightDecay', type: 'range', low: 1e-6, high: 1e-2, log: true, int: false, ...onlyNeural },
  ];
  const shared = neural.filter((a) => a !== 'single-task');
  if (tasks > 1 && shared.length && options.has('weighting')) space.push({ name: 'weighting', type: 'choice', choices: weightings(), when: { arch: shared } });
  const experts = archs.filter((a) => EXPERT_ARCHS.includes(a));
  if (experts.length) space.push({ name: 'experts', type: 'range', low: 2, high: 8, log: false, int: true, when: { arch: experts } });
  if (trees.length && ['leaves', 'treeLr', 'minLeaf'].every((o) => options.has(o))) {
    const when = { arch: trees };
    space.push(
      { name: 'leaves', type: 'range', low: 7, high: 127, log: true, int: true, when },
      { name: 'treeLr', type: 'range', low: 0.02, high: 0.3, log: true, int: false, when },
      { name: 'minLeaf', type: 'range', low: 5, high: Math.max(40, Math.round(trainRows / 200)), log: true, int: true, when },
    );
  }
  return space;
}
