/**
 * `polyhead demo` (what `npm start` runs): a multi-task model on the bundled copy of UCI Adult
 * (income, marital-status, relationship), compared with one model per task.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { trainModel } from '../pipeline/train-model.js';
import { PACKAGE_ROOT } from '../version.js';
import { number } from './options.js';
import { progressReporter } from './progress.js';
import { formatComparison } from './summary.js';

export const DEMO_TRAIN = join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz');
export const DEMO_TEST = join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
export const DEMO_TASKS = 'income,marital-status,relationship';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('train a multi-task model on the bundled UCI Adult data and compare it with one model per task')
    .option('--out <dir>', 'model folder to write', 'polyhead-demo')
    .option('--arch <name>', 'architecture', 'shared-bottom')
    .option('--epochs <n>', 'maximum epochs', number('epochs'), 8)
    .option('--quiet', 'print only the final summary')
    .action(async (flags: { out: string; arch: string; epochs: number; quiet?: boolean }) => {
      process.stdout.write(
        `polyhead demo: UCI Adult (32,561 training rows, 16,281 test rows; CC BY 4.0, UCI Machine Learning Repository)\n` +
          `tasks: ${DEMO_TASKS.split(',').join(', ')} — one ${flags.arch} model for all three, against one model per task\n\n`,
      );
      const progress = progressReporter(flags.quiet ? 'quiet' : 'text');
      try {
        const report = await trainModel(DEMO_TRAIN, flags.out, { tasks: DEMO_TASKS, test: DEMO_TEST, arch: flags.arch, epochs: flags.epochs }, { onEvent: progress.onEvent });
        process.stdout.write(formatComparison(report));
        process.stdout.write(
          `\nThe model (preprocessing included) is in ${report.model}/model.onnx, described by ${report.model}/model.json.\n` +
            `Predict:  polyhead predict ${report.model} ${DEMO_TEST} --out predictions.csv\n` +
            `Evaluate: polyhead eval ${report.model} ${DEMO_TEST}\n`,
        );
      } finally {
        progress.stop();
      }
    });
}
