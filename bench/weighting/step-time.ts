/**
 * Milliseconds per training step of each weighting method, measured in one process and interleaved:
 * every setting gets its own compiled step graph, warmed up, then the settings take turns running a
 * fixed number of steps per round, each round in another order, so that load from other work on the
 * machine falls on all of them alike. A step is what fit() does for one batch: gather the batch,
 * choose the coefficients (after the gradients graph for a method that reads G), run the update.
 */
import { initParams } from '../../src/nn/init.js';
import { networkSpec } from '../../src/pipeline/neural.js';
import { trainingBudget } from '../../src/train/budget.js';
import { featureFeeds, labelFeeds } from '../../src/train/dataset.js';
import { trainingLosses } from '../../src/train/network.js';
import { makeOptimizer } from '../../src/train/optimizers/index.js';
import type { ResolvedTrainOptions } from '../../src/train/options.js';
import type { PreparedData } from '../../src/train/prepare.js';
import { paramLayout, type GramOn } from '../../src/train/step-graph.js';
import { Trainable } from '../../src/train/trainable.js';
import { presentTasks } from '../../src/train/trainer.js';
import { Random } from '../../src/util/random.js';
import { Weighter } from '../../src/weighting/index.js';

export interface StepSetting {
  weighting: string;
  weightingOptions: Record<string, unknown>;
  /** Where G is taken; null for a method that reads no G. */
  gramOn: GramOn | null;
}

export interface StepTiming {
  setting: StepSetting;
  /** Median over rounds of the round's mean ms per step. */
  msPerStep: number;
  /** Median over rounds of (this setting's ms per step / equal's in the same round). */
  ratioToEqual: number;
}

export interface StepTimeConfig {
  warmupSteps: number;
  stepsPerRound: number;
  rounds: number;
}

interface Runner {
  setting: StepSetting;
  step(): Promise<void>;
  release(): Promise<void>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function runner(p: PreparedData, o: ResolvedTrainOptions, setting: StepSetting): Promise<Runner> {
  const spec = networkSpec(p, o, o.arch);
  const { batchSize } = trainingBudget(p.train.features.rowCount, o);
  const T = spec.tasks.length;
  const weighter = Weighter.create(setting.weighting, setting.weightingOptions, T, o.seed);
  const build = trainingLosses(spec);
  const stepSpec = {
    build,
    optimizer: makeOptimizer({ name: o.optimizer, weightDecay: o.weightDecay }),
    ...(setting.gramOn ? { gramOn: setting.gramOn } : {}),
  };
  const trainable = await Trainable.create(stepSpec, initParams(paramLayout(build).defs, new Random(o.seed)), { threads: o.threads });
  const n = p.train.features.rowCount;
  const batch = Math.min(batchSize, n);
  const rng = new Random(o.seed);
  let order = rng.permutation(n);
  let at = 0;
  let latest = new Array<number>(T).fill(1);
  return {
    setting,
    async step() {
      if (at + batch > n) [order, at] = [rng.permutation(n), 0];
      const rows = order.subarray(at, at + batch);
      at += batch;
      const feeds = { ...featureFeeds(p.train.features, rows, spec.fields.length), ...labelFeeds(p.train.labels, rows) };
      const present = presentTasks(p.train.labels, rows);
      const choose = (losses: ArrayLike<number>, gram: Float64Array | null) =>
        Float32Array.from(weighter.weigh({ losses: Float64Array.from(losses), gram, present, epoch: 0 }));
      const res = trainable.computesGram
        ? await trainable.runWithGram(feeds, o.lr, choose, rng)
        : await trainable.run(feeds, o.lr, choose(latest, null), rng);
      latest = Array.from(res.losses, (l, t) => (present[t] ? l : latest[t]!));
    },
    release: () => trainable.release(),
  };
}

/** Times every setting; the first setting must be equal weighting, the reference of the ratios. */
export async function timeSteps(p: PreparedData, o: ResolvedTrainOptions, settings: StepSetting[], config: StepTimeConfig): Promise<StepTiming[]> {
  const runners: Runner[] = [];
  for (const s of settings) runners.push(await runner(p, o, s));
  for (const r of runners) for (let i = 0; i < config.warmupSteps; i++) await r.step();
  const perRound: number[][] = runners.map(() => []);
  for (let round = 0; round < config.rounds; round++) {
    // Each round starts at another setting, so that none is always first or always last.
    const offset = Math.floor((round * runners.length) / config.rounds);
    for (let k = 0; k < runners.length; k++) {
      const i = (k + offset) % runners.length;
      const r = runners[i]!;
      const t0 = performance.now();
      for (let s = 0; s < config.stepsPerRound; s++) await r.step();
      perRound[i]!.push((performance.now() - t0) / config.stepsPerRound);
    }
  }
  for (const r of runners) await r.release();
  const reference = perRound[0]!;
  return runners.map((r, i) => ({
    setting: r.setting,
    msPerStep: median(perRound[i]!),
    ratioToEqual: median(perRound[i]!.map((ms, k) => ms / reference[k]!)),
  }));
}
