/**
 * Loss-weighting methods on shared-bottom (issue 11): each method on Adult (income, marital-status,
 * relationship) and on emotions with each of its six labels as its own binary task, over seeds;
 * per method the test main metric of each task, Δm against the single-task baseline (trained once
 * per seed, shared by all methods), and the milliseconds per training step against equal
 * weighting's, measured interleaved in this process with G on the shared parameters and on the
 * shared representation. Prints a Markdown table per dataset; nothing here asserts a timing.
 * Run: node dist/bench/weighting/run.js [--datasets adult,emotions] [--seeds 42,1,2] [--epochs E]
 *      [--methods equal,uw,...] [--gram-on params|representation] [--threads 1]
 *      [--timing-steps 20] [--timing-rounds 5] [--timing-warmup 5] [--timing-only]
 *      [--data FILE --test FILE --tasks a,b]   (another table instead of the bundled ones)
 */
import { exitOnHelp } from '../usage.js';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { parseTrainOptions, type TrainOptions } from '../../src/train/options.js';
import { GRAM_ON, type GramOn } from '../../src/train/step-graph.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { getWeighting, WEIGHTINGS } from '../../src/weighting/index.js';
import { measureQuality, prepareSeed, type MethodRun } from './quality.js';
import { timeSteps, type StepSetting } from './step-time.js';
import { markdownTable, timingTable } from './table.js';

exitOnHelp(import.meta.url);

interface Dataset {
  name: string;
  files: string[];
  test: string;
  tasks: string;
}

const EMOTIONS = ['amazed-suprised', 'happy-pleased', 'relaxing-calm', 'quiet-still', 'sad-lonely', 'angry-aggresive'];

const program = new Command('weighting-bench')
  .option('--datasets <list>', 'adult, emotions', 'adult,emotions')
  .option('--emotions-dir <dir>', 'folder of emotions-train.arff and emotions-test.arff', '/work/shared/data/emotions')
  .option('--data <file>', 'another training table (with --test and --tasks) instead of --datasets')
  .option('--test <file>', 'test table of --data')
  .option('--tasks <list>', 'tasks of --data')
  .option('--seeds <list>', 'seeds, each its own split, baseline and runs', '42,1,2')
  .option('--epochs <n>', 'epochs per run (default: the budget sized to the rows)')
  .option('--methods <list>', 'weighting methods (default: all)', WEIGHTINGS.join(','))
  .addOption(new Option('--gram-on <where>', 'G for the quality runs of the methods that read it').choices(GRAM_ON as string[]).default('params'))
  .option('--threads <n>', 'onnxruntime intra-op threads', '1')
  .option('--timing-steps <n>', 'timed steps per setting per round', '20')
  .option('--timing-rounds <n>', 'rounds of the interleaved timing', '5')
  .option('--timing-warmup <n>', 'untimed steps per setting first', '5')
  .option('--timing-only', 'the step times alone, without the quality runs')
  .parse();
const flags = program.opts<Record<string, string>>();
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

function datasets(): Dataset[] {
  if (flags.data) {
    if (!flags.test || !flags.tasks) program.error('--data needs --test and --tasks');
    return [{ name: flags.data, files: [flags.data], test: flags.test!, tasks: flags.tasks! }];
  }
  return list(flags.datasets!).map((d) => {
    if (d === 'adult') return { name: 'adult', files: [join(PACKAGE_ROOT, 'assets/adult-train.csv.gz')], test: join(PACKAGE_ROOT, 'assets/adult-test.csv.gz'), tasks: 'income,marital-status,relationship' };
    if (d === 'emotions') return { name: 'emotions', files: [join(flags.emotionsDir!, 'emotions-train.arff')], test: join(flags.emotionsDir!, 'emotions-test.arff'), tasks: EMOTIONS.join(',') };
    return program.error(`unknown dataset '${d}'; choose adult, emotions`);
  });
}

const methods = list(flags.methods!);
for (const m of methods) getWeighting(m);
const gramMethods = new Set(methods.filter((m) => getWeighting(m).needsGram));
const gramOn = flags.gramOn as GramOn;
const load = (): string => execSync('uptime', { encoding: 'utf8' }).trim();

/** Method options: fixed weighs each task by 1/ln(classes), its loss at a uniform guess; the others take their defaults. */
function methodRuns(classes: number[]): MethodRun[] {
  return methods.map((m) => ({ weighting: m, weightingOptions: m === 'fixed' ? { weights: classes.map((k) => 1 / Math.log(Math.max(2, k))) } : {} }));
}

function stepSettings(runs: MethodRun[]): StepSetting[] {
  const equal: StepSetting = { weighting: 'equal', weightingOptions: {}, gramOn: null };
  const others = runs.filter((r) => r.weighting !== 'equal');
  return [
    equal,
    ...others.map((r) => ({ ...r, gramOn: gramMethods.has(r.weighting) ? gramOn : null })),
    ...others.filter((r) => gramMethods.has(r.weighting)).map((r) => ({ ...r, gramOn: GRAM_ON.find((g) => g !== gramOn)! })),
  ];
}

async function main(): Promise<void> {
  const seeds = list(flags.seeds!).map(Number);
  console.log(`weighting bench: node dist/bench/weighting/run.js ${process.argv.slice(2).join(' ')}`);
  console.log(`shared-bottom; seeds ${seeds.join(',')}; epochs ${flags.epochs ?? 'from the budget'}; threads ${flags.threads}; G for quality runs on ${gramOn}; start: ${load()}`);
  for (const d of datasets()) {
    const base: TrainOptions = {
      tasks: d.tasks, test: d.test, arch: 'shared-bottom', threads: Number(flags.threads),
      gramOn, ...(flags.epochs ? { epochs: Number(flags.epochs) } : {}),
    };
    const p = await prepareSeed(d.files, base, seeds[0]!);
    const runs = methodRuns(p.schema.tasks.map((t) => t.classes.length));
    console.log(`\n## ${d.name}: ${p.train.features.rowCount} train rows, ${p.test?.features.rowCount ?? 0} test rows, tasks ${p.schema.tasks.map((t) => `${t.name}(${t.classes.length})`).join(' ')}`);
    const timings = await timeSteps(p, parseTrainOptions({ ...base, seed: seeds[0] }), stepSettings(runs), {
      warmupSteps: Number(flags.timingWarmup), stepsPerRound: Number(flags.timingSteps), rounds: Number(flags.timingRounds),
    });
    console.log(`step timing done (${flags.timingRounds} rounds × ${flags.timingSteps} steps per setting, interleaved): ${load()}`);
    if (flags.timingOnly) console.log(`\n${timingTable(methods, timings, gramMethods)}\n`);
    else console.log(`\n${markdownTable(await measureQuality(d.files, base, seeds, runs, (line) => console.log(line)), methods, timings, gramMethods, gramOn)}\n`);
    for (const on of GRAM_ON) {
      const ratios = timings.filter((t) => t.setting.gramOn === on);
      if (ratios.length === 0) continue;
      const worst = ratios.reduce((a, b) => (b.ratioToEqual > a.ratioToEqual ? b : a));
      console.log(`G on ${on}: slowest Gram method ${worst.setting.weighting} at ${worst.ratioToEqual.toFixed(2)}× equal's step (target ≤ 2×)`);
    }
    console.log(`end of ${d.name}: ${load()}`);
  }
}

await main();
