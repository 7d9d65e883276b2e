/** `polyhead train DATA --tasks a,b,c`: the main job, from a table to a saved multi-task model. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PRESET } from '../pipeline/presets.js';
import { trainModel, type TrainReport } from '../pipeline/train-model.js';
import type { TrainOptions } from '../train/options.js';
import { FUSION_METHODS } from '../fusion/index.js';
import { formatLeaderboard } from './leaderboard.js';
import { list, number, numberOrAuto, numbers } from './options.js';
import { addTableFlags, tableSettings, type TableFlags } from './table-flags.js';
import { progressReporter, type OutputMode } from './progress.js';
import { formatComparison } from './summary.js';
import { runReport } from './report.js';
import { OptionError } from '../errors.js';
import { WEIGHTINGS } from '../weighting/index.js';

function jsonObject(flag: string) {
  return (v: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new OptionError('bad-option', `--${flag} expects a JSON object, e.g. '{"alpha":0.4}', got '${v}'`, { option: flag, value: v });
    }
    return parsed as Record<string, unknown>;
  };
}

/** The task affinity table: mean cosine between task gradients, row task against column task. */
function formatAffinity(tasks: string[], m: (number | null)[][]): string {
  const width = Math.max(6, ...tasks.map((t) => t.length));
  const cell = (v: number | null): string => (v === null ? '-' : v.toFixed(3)).padStart(width);
  const lines = [`${''.padEnd(width)} ${tasks.map((t) => t.padStart(width)).join(' ')}`, ...m.map((row, i) => `${tasks[i]!.padEnd(width)} ${row.map(cell).join(' ')}`)];
  return `\nTask affinity (mean cosine between task gradients over training):\n${lines.join('\n')}\n`;
}

interface TrainFlags extends Omit<TrainOptions, keyof TableFlags | 'baseline'>, TableFlags {
  out: string;
  resume?: boolean;
  json?: boolean;
  quiet?: boolean;
  baseline: boolean;
  report?: string | true;
}

export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description('train one model that predicts all tasks, compare it with one model per task, and save it')
    .argument('<data...>', 'table file(s) (.csv .tsv .data .gz .parquet .jsonl .arff); several files are stacked, columns matched by name, each may label only some tasks')
    .option('--tasks <spec>', "task columns, e.g. 'income,relationship'; a multi-label group: 'mood=happy+sad'");
  addTableFlags(command)
    .option('--join <file>', "a table whose columns are added to each row by the key column given with --on (one row per key)")
    .option('--on <column>', 'the key column of --join')
    .option('--test <file>', 'a separate test file (default: a stratified 20% of DATA is held out)')
    .option('--valid-fraction <share>', 'share of DATA held out for validation and early stopping (default 0.1)', number('valid-fraction'))
    .option('--test-fraction <share>', 'share of DATA held out for testing when there is no --test file (default 0.2)', number('test-fraction'))
    .option('--split-column <name>', 'a column of DATA saying train, valid or test per row, instead of random held-out shares')
    .option('--out <dir>', 'model folder to write', 'polyhead-model')
    .option('--numeric-encoding <name>', "numeric columns: 'piecewise-linear' (one column per training-quantile bin, the default) or 'scaled' (one value)")
    .option('--numeric-bins <n>', "piecewise-linear: at most this many bins per numeric column, or 'auto' (the default: about one per 200 training rows, 8 to 128)", numberOrAuto('numeric-bins'))
    .option('--image-size <side>', "image columns: resize every image to this square side, or 'auto' (the default: the training images' median size, at most 64)", numberOrAuto('image-size'))
    .option('--image-missing <mode>', "image columns: an unreadable file is an 'error' naming its row (the default), or a 'missing' value")
    .option('--image-trunk <name>', "image columns: what turns each image into features joined to the table's (default small-cnn: a few conv blocks sized to the image)")
    .option('--arch <name>', 'single-task, shared-bottom, cross-stitch, mmoe, ple; or boosted trees: gbdt (shared trees) or gbdt-per-task')
    .option('--members <archs>', 'train these architectures on the same plan and fuse them into one model, e.g. gbdt,shared-bottom,mmoe (instead of --arch)', list)
    .option('--fusion <method>', `how members are fused: ${FUSION_METHODS.join(', ')} (default select)`)
    .option('--fusion-share <share>', 'share of the training rows held out from every member to fit the fusion on (default 0.15; with --preset balanced or best it replaces their bagging)', number('fusion-share'))
    .option('--bag <k>', 'bag each member over k folds of the training rows and fit the fusion on their out-of-fold predictions (instead of --fusion-share); the saved member is the mean of its k fold models', number('bag'))
    .option('--decision <rule>', "fused models: 'macro-f1' divides each macro-F1 task's probabilities by its class priors to a power fitted on the fusion's rows (at no accuracy loss there), or 'argmax'")
    .option('--preset [name]', `${DEFAULT_PRESET} when no name is given; fast (multi-task GBDT), balanced (GBDT + shared-bottom bagged over 5 folds, fused per task by the method cross-validated best out of fold), best (every architecture and both tree modes, bagged over 5 folds, stacked out of fold)`)
    .option('--time-limit <seconds>', 'bound a fused run: no member (or network epoch) starts after this many seconds', number('time-limit'))
    .option('--rounds <n>', 'trees: at most this many boosting rounds (default 200, early stopping on the validation rows)', number('rounds'))
    .option('--leaves <n>', 'trees: leaves per tree (default 31)', number('leaves'))
    .option('--min-leaf <n>', 'trees: fewest training rows in a leaf (default 20)', number('min-leaf'))
    .option('--min-hessian <x>', 'trees: least Hessian sum in a leaf (default 0.1)', number('min-hessian'))
    .option('--l2 <lambda>', 'trees: L2 penalty on leaf values (default 0)', number('l2'))
    .option('--tree-lr <rate>', 'trees: shrinkage of each tree (default 0.1)', number('tree-lr'))
    .option('--max-bins <n>', 'trees: value bins per numeric feature, 2 to 255 (default 255)', number('max-bins'))
    .option('--tree-threads <n>', "trees: threads that train, 1 to 4 (default: the machine's cores, at most 4); the same trees at any count", number('tree-threads'))
    .option('--hidden <sizes>', 'hidden layer widths, e.g. 256,128', numbers('hidden'))
    .option('--tower-hidden <sizes>', 'task tower widths', numbers('tower-hidden'))
    .option('--experts <n>', 'experts (mmoe)', number('experts'))
    .option('--levels <n>', 'extraction levels (ple)', number('levels'))
    .option('--dropout <rate>', 'dropout rate', number('dropout'))
    .option('--layer-norm', 'layer normalisation after hidden layers (the default)')
    .option('--no-layer-norm', 'no layer normalisation')
    .option('--epochs <n>', 'maximum epochs (default: 20, more for small tables: 5 x patience)', number('epochs'))
    .option('--patience <n>', 'stop after this many epochs (trees: rounds) without validation improvement, 0: never (default: 4, or ~200 steps; trees 10)', number('patience'))
    .option('--batch-size <n>', 'rows per step (default: about rows/16, 32 to 256)', number('batch-size'))
    .option('--lr <rate>', 'learning rate', number('lr'))
    .option('--optimizer <name>', 'adamw, adam or sgd')
    .option('--weight-decay <w>', 'weight decay', number('weight-decay'))
    .option('--schedule <name>', 'constant, cosine (with warm-up) or plateau')
    .option('--clip-norm <n>', 'clip gradients to this global norm', number('clip-norm'))
    .option('--class-weights <mode>', "'balanced' weighs classes inversely to their frequency")
    .option('--label-smoothing <eps>', 'label smoothing', number('label-smoothing'))
    .option('--metric <name>', 'early-stopping metric (default: macroF1 multiclass, auc binary, microF1 multi-label)')
    .option('--seed <n>', 'random seed: same data, options and seed give the same model bytes', number('seed'))
    .option('--threads <n>', 'onnxruntime threads (0: automatic)', number('threads'))
    .option('--weighting <name>', `task-loss weighting: ${WEIGHTINGS.join(', ')} (default equal)`)
    .option('--weighting-options <json>', 'the method\'s options as JSON, e.g. \'{"alpha":0.4}\' for cagrad, \'{"weights":[1,2]}\' for fixed', jsonObject('weighting-options'))
    .option('--gram-on <where>', "gradient methods: G over the shared 'representation' (the default: cheaper, MGDA-UB) or the shared 'params'")
    .option('--affinity', 'measure task affinity (mean cosine between task gradients) whatever the weighting; computes G every step')
    .option('--no-baseline', 'skip the single-task baseline (no Δm)')
    .option('--force', 'train even with too little data (fewer than 20 labelled training rows, a class without training or validation rows); warns instead')
    .option('--resume', 'continue from the checkpoint a killed run left')
    .option('--json', 'one JSON object per epoch, then a final {"event":"done", ...}')
    .option('--quiet', 'print only the final summary')
    .option('--report [file]', 'also write the HTML report (default: report.html in the model folder)')
    .action(async (data: string[], flags: TrainFlags) => {
      const { out, resume, json, quiet, report: reportFile, columns, ignore, kinds, missing, delimiter, header, format, ...rest } = flags;
      const mode: OutputMode = json ? 'json' : quiet ? 'quiet' : 'text';
      const progress = progressReporter(mode);
      if ((rest.preset as unknown) === true) rest.preset = DEFAULT_PRESET;
      const options: TrainOptions = { ...rest, ...tableSettings({ columns, ignore, kinds, missing, delimiter, header, format }) };
      let report: TrainReport;
      try {
        report = await trainModel(data, out, options, { onEvent: progress.onEvent, resume: resume ?? false });
      } finally {
        progress.stop();
      }
      if (json) {
        process.stdout.write(`${JSON.stringify({ event: 'done', ...(report.test ? { test: report.test } : {}), ...(report.deltaM !== undefined ? { deltaM: report.deltaM } : {}), model: report.model, report })}\n`);
      } else {
        process.stdout.write(formatLeaderboard(report));
        process.stdout.write(formatComparison(report));
        if (report.affinity) process.stdout.write(formatAffinity(report.tasks, report.affinity));
        process.stdout.write(`\nModel saved to ${report.model}\nPredict with: polyhead predict ${report.model} DATA --out predictions.csv\n`);
      }
      if (reportFile !== undefined) await runReport(report.model, { out: reportFile === true ? join(report.model, 'report.html') : reportFile });
    });
}
