/** `polyhead fuse MODEL... --data FILE --method stack --out DIR`: saved model folders fused into one. */
import type { Command } from 'commander';
import { PolyheadModel } from '../bundle/model.js';
import { FUSION_METHODS } from '../fusion/index.js';
import { OptionError } from '../errors.js';
import { fuseModels, savedOnnx } from '../pipeline/fuse-models.js';
import { formatLeaderboard } from './leaderboard.js';
import { FORMAT_FLAG, readForModel } from './model-data.js';

interface FuseFlags {
  data: string;
  test?: string;
  method: string;
  decision?: string;
  out: string;
  columns?: string;
  format?: string;
  json?: boolean;
}

export function registerFuse(program: Command): void {
  program
    .command('fuse')
    .description('fuse saved models of the same tasks and feature plan into one model folder')
    .argument('<models...>', "model folders written by 'polyhead train' on the same data and tasks")
    .requiredOption('--data <file>', 'labelled rows to fit the fusion on; hold them out from every member\'s training (e.g. a --test file not used for training), or the fusion favours the member that overfits')
    .option('--test <file>', 'labelled rows to compare the members and the fusions on (unseen by both)')
    .option('--method <name>', `fusion method: ${FUSION_METHODS.join(', ')}`, 'select')
    .option('--decision <rule>', "'macro-f1': each macro-F1 task's probabilities divided by its class priors to a power fitted on --data (at no accuracy loss there); default 'argmax'")
    .option('--out <dir>', 'model folder to write', 'polyhead-fused')
    .option('--columns <names>', 'column names for data files without a header (default: the training names)')
    .option(...FORMAT_FLAG)
    .option('--json', 'print one JSON object')
    .action(async (dirs: string[], flags: FuseFlags) => {
      const models: PolyheadModel[] = [];
      try {
        for (const dir of dirs) models.push(await PolyheadModel.load(dir));
        const onnx = await Promise.all(models.map(savedOnnx));
        const data = await readForModel(models[0]!, flags.data, flags);
        const test = flags.test ? await readForModel(models[0]!, flags.test, flags) : null;
        if (flags.decision !== undefined && flags.decision !== 'argmax' && flags.decision !== 'macro-f1') {
          throw new OptionError('bad-option', `--decision expects argmax or macro-f1, got '${flags.decision}'`, { option: 'decision', value: flags.decision });
        }
        const decision = flags.decision as 'argmax' | 'macro-f1' | undefined;
        const report = await fuseModels({ models, onnx, data, test, method: flags.method, out: flags.out, ...(decision ? { decision } : {}) });
        if (flags.json) process.stdout.write(`${JSON.stringify({ event: 'done', ...report })}\n`);
        else {
          process.stdout.write(formatLeaderboard({ tasks: report.tasks, leaderboard: report.leaderboard, fusion: { method: report.method, fittedOn: 'held-out', rows: report.rows } }));
          process.stdout.write(`\nThe fusion was fitted on the ${report.rows} rows of ${flags.data}: its scores there are in-sample, and honest only if no member was trained on those rows.\nModel saved to ${report.model}\n`);
        }
      } finally {
        for (const m of models) await m.release();
      }
    });
}
