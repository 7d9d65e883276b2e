/**
 * `polyhead predict MODEL DATA --out preds.csv`: run the saved ONNX model on raw rows. The file is
 * read, predicted and written a chunk of rows at a time, so memory stays bounded whatever its length;
 * `--out` appears only once complete.
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import { PolyheadModel } from '../bundle/model.js';
import { writePredictions } from '../bundle/predictions-csv.js';
import { OptionError } from '../errors.js';
import { writeFileStreamAtomic } from '../util/atomic.js';
import { chunksForModel, FORMAT_FLAG, type ModelDataFlags } from './model-data.js';
import { joinForModel, type JoinFlags } from './model-join.js';
import { number } from './options.js';

const DEFAULT_CHUNK_ROWS = 16384;

async function writeStdout(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict every task for the rows of a table with a saved model')
    .argument('<model>', "model folder written by 'polyhead train'")
    .argument('<data>', 'table file with the feature columns (labels are not needed; extra columns are ignored)')
    .option('--out <file>', 'CSV file to write (default: standard output)')
    .option('--columns <names>', 'column names for a file without a header (default: the training names)')
    .option(...FORMAT_FLAG)
    .option('--probabilities', 'add a probability column per class')
    .option('--chunk-rows <n>', `rows read and predicted at a time (default ${DEFAULT_CHUNK_ROWS})`, number('chunk-rows'))
    .option('--join <file>', 'the table the model was trained with --join, joined again by key')
    .option('--on <column>', 'its key column (default: the one the model was trained with)')
    .action(async (modelDir: string, data: string, flags: ModelDataFlags & { out?: string; probabilities?: boolean; chunkRows?: number } & JoinFlags) => {
      const chunkRows = flags.chunkRows ?? DEFAULT_CHUNK_ROWS;
      if (!Number.isInteger(chunkRows) || chunkRows < 1) {
        throw new OptionError('bad-option', `--chunk-rows expects a whole number of rows ≥ 1, got ${chunkRows}`, { option: 'chunk-rows', value: chunkRows });
      }
      const model = await PolyheadModel.load(modelDir);
      try {
        const join = await joinForModel(model, flags);
        const read = chunksForModel(model, data, flags, chunkRows);
        const chunks = join ? (async function* () { for await (const chunk of read) yield join.apply(chunk); })() : read;
        const withProbabilities = flags.probabilities ?? false;
        if (flags.out) {
          const out = flags.out;
          let rows = 0;
          await writeFileStreamAtomic(out, async (write) => {
            rows = await writePredictions(model, chunks, write, withProbabilities);
          });
          process.stderr.write(`wrote ${rows} predictions to ${out}\n`);
        } else await writePredictions(model, chunks, writeStdout, withProbabilities);
        const warning = join?.warning();
        if (warning) process.stderr.write(warning);
      } finally {
        await model.release();
      }
    });
}
