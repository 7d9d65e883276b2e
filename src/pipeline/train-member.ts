/** Training one member of a run by its architecture, and how a model is compared with its single-task baseline. */
import { deltaM } from '../eval/delta-m.js';
import type { ResolvedTrainOptions } from '../train/options.js';
import type { PreparedData } from '../train/prepare.js';
import type { Scored, TrainedMember } from './member.js';
import { trainNeural, type RunContext } from './neural.js';
import { isTreeArch, trainTrees } from './trees.js';

export const trainMember = (p: PreparedData, o: ResolvedTrainOptions, arch: string, run: RunContext): Promise<TrainedMember> =>
  isTreeArch(arch) ? trainTrees(p, o, arch, run) : trainNeural(p, o, arch, run);

/** The architecture a model is compared with, or null when it is its own single-task model. */
export function baselineOf(arch: string): string | null {
  if (arch === 'gbdt') return 'gbdt-per-task';
  return arch === 'single-task' || arch === 'gbdt-per-task' ? null : 'single-task';
}

/** Δm (%) of `main` over `baseline` on each task's main metric. */
export function compare(main: Pick<Scored, 'valid'>, baseline: Pick<Scored, 'valid'>): number {
  const lower = Object.fromEntries(Object.entries(main.valid).map(([k, v]) => [k, v.metric === 'logLoss' || v.metric === 'hammingLoss']));
  const pick = (s: Pick<Scored, 'valid'>) => Object.fromEntries(Object.entries(s.valid).map(([k, v]) => [k, v.value]));
  return deltaM(pick(main), pick(baseline), lower);
}
