/** `polyhead predict MODEL DATA --out preds.csv`: run the saved ONNX model on raw rows. */
import type { Command } from 'commander';
import { PolyheadModel } from '../bundle/model.js';
import { predictionsCsv } from '../bundle/predictions-csv.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readForModel } from './model-data.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict every task for the rows of a table with a saved model')
    .argument('<model>', "model folder written by 'polyhead train'")
    .argument('<data>', 'table file with the feature columns (labels are not needed; extra columns are ignored)')
    .option('--out <file>', 'CSV file to write (default: standard output)')
    .option('--columns <names>', 'column names for a file without a header (default: the training names)')
    .option('--probabilities', 'add a probability column per class')
    .action(async (modelDir: string, data: string, flags: { out?: string; columns?: string; probabilities?: boolean }) => {
      const model = await PolyheadModel.load(modelDir);
      try {
        const table = await readForModel(model, data, flags.columns);
        const csv = predictionsCsv(model.meta, await model.predict(table), flags.probabilities ?? false);
        if (flags.out) {
          await writeFileAtomic(flags.out, csv);
          process.stderr.write(`wrote ${table.rowCount} predictions to ${flags.out}\n`);
        } else process.stdout.write(csv);
      } finally {
        await model.release();
      }
    });
}
