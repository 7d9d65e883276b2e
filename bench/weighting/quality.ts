/**
 * Test quality of each weighting method against one single-task baseline per seed: the data is
 * prepared once per seed (the split depends on it), the single-task networks are trained once on
 * it, and every method's shared-bottom network is trained on the same rows and compared with them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '../../src/errors.js';
import { deltaM } from '../../src/eval/delta-m.js';
import type { Scored } from '../../src/pipeline/member.js';
import { trainNeural } from '../../src/pipeline/neural.js';
import { parseTrainOptions, type TrainOptions } from '../../src/train/options.js';
import { prepareData, type PreparedData } from '../../src/train/prepare.js';

export interface MethodRun {
  weighting: string;
  weightingOptions: Record<string, unknown>;
}

export interface SeedResult {
  seed: number;
  /** Per task, the single-task baseline's main metric on the test rows. */
  singleTask: Record<string, number>;
  /** Per method, its per-task main metric on the test rows and Δm (%) against singleTask. */
  methods: Record<string, { metrics: Record<string, number>; deltaM: number; seconds: number }>;
}

export interface QualityResult {
  tasks: string[];
  mainMetric: Record<string, string>;
  seeds: SeedResult[];
}

const values = (s: Scored): Record<string, number> => Object.fromEntries(Object.entries(s.valid).map(([k, v]) => [k, v.value]));

function scoredOrThrow(s: Scored | null, what: string): Scored {
  if (!s) throw new OptionError('bench-no-test-rows', `${what} was not evaluated: the bench needs test rows (a --test file or a held-out share)`);
  return s;
}

/** Prepares the data of one seed; the caller may reuse it (the step timing does). */
export async function prepareSeed(files: readonly string[], base: TrainOptions, seed: number): Promise<PreparedData> {
  return prepareData(files, parseTrainOptions({ ...base, seed }));
}

export async function measureQuality(
  files: readonly string[],
  base: TrainOptions,
  seeds: readonly number[],
  methods: readonly MethodRun[],
  log: (line: string) => void,
): Promise<QualityResult> {
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-wbench-'));
  const run = { data: files, out: join(dir, 'model'), resume: false };
  const result: QualityResult = { tasks: [], mainMetric: {}, seeds: [] };
  try {
    for (const seed of seeds) {
      const p = await prepareSeed(files, base, seed);
      const o = parseTrainOptions({ ...base, seed });
      const single = scoredOrThrow((await trainNeural(p, o, 'single-task', run)).scored, 'the single-task baseline');
      result.tasks = Object.keys(single.valid);
      result.mainMetric = Object.fromEntries(Object.entries(single.valid).map(([k, v]) => [k, v.metric]));
      const lower = Object.fromEntries(Object.entries(single.valid).map(([k, v]) => [k, v.metric === 'logLoss' || v.metric === 'hammingLoss']));
      const seedResult: SeedResult = { seed, singleTask: values(single), methods: {} };
      log(`seed ${seed}: single-task ${JSON.stringify(seedResult.singleTask, (_, v) => (typeof v === 'number' ? Number(v.toFixed(4)) : v))}`);
      for (const m of methods) {
        const om = parseTrainOptions({ ...base, seed, weighting: m.weighting, weightingOptions: m.weightingOptions });
        const trained = await trainNeural(p, om, om.arch, run);
        const scored = scoredOrThrow(trained.scored, m.weighting);
        const d = deltaM(values(scored), seedResult.singleTask, lower);
        seedResult.methods[m.weighting] = { metrics: values(scored), deltaM: d, seconds: trained.seconds };
        log(`seed ${seed}: ${m.weighting} Δm ${d.toFixed(2)}% (${trained.seconds.toFixed(1)} s, ${trained.iterations} epochs)`);
      }
      result.seeds.push(seedResult);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
