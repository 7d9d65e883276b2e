/** `polyhead export MODEL --web DIR | --triton DIR`: the model as a static browser page, or as a Triton / KServe model repository. */
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { PolyheadModel } from '../bundle/model.js';
import { OptionError } from '../errors.js';
import { isModelName, modelFolders } from '../serve/catalog.js';
import { writeWebPage } from '../serve/export-web.js';
import { writeTritonModel } from '../serve/triton.js';
import { number } from './options.js';

interface ExportFlags {
  web?: string;
  triton?: string;
  name?: string;
  maxBatchSize: number;
  maxQueueDelayUs: number;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a model as a static browser page (--web) or a Triton / KServe model repository (--triton)')
    .argument('<model>', "model folder written by 'polyhead train'")
    .option('--web <dir>', 'write the browser page (onnxruntime-web, no server needed) into this folder')
    .option('--triton <dir>', 'write <dir>/<name>/config.pbtxt and <dir>/<name>/1/model.onnx')
    .option('--name <name>', "the model's name in the page and the repository (default: the folder's name)")
    .option('--max-batch-size <n>', 'Triton max_batch_size', number('max-batch-size'), 1024)
    .option('--max-queue-delay-us <us>', 'Triton dynamic_batching max_queue_delay_microseconds', number('max-queue-delay-us'), 1000)
    .action(async (modelDir: string, flags: ExportFlags) => {
      if (!flags.web && !flags.triton) throw new OptionError('missing-option', 'export needs --web DIR or --triton DIR (or both)', { option: 'web' });
      if (!Number.isInteger(flags.maxBatchSize) || flags.maxBatchSize < 1) {
        throw new OptionError('bad-option', `--max-batch-size must be a positive integer, got ${flags.maxBatchSize}`, { option: 'max-batch-size' });
      }
      const [folder] = await modelFolders([modelDir]);
      const name = flags.name ?? basename(resolve(modelDir));
      if (!isModelName(name)) throw new OptionError('bad-option', `--name '${name}': a model name is used in URLs and paths and may hold only letters, digits, '_', '.' and '-'`, { option: 'name' });
      if (folder!.dir !== resolve(modelDir)) throw new OptionError('bad-option', `${modelDir} is a folder of models; export one model folder at a time`, { option: 'model' });
      const model = await PolyheadModel.load(folder!.dir);
      try {
        if (flags.web) {
          const files = await writeWebPage(resolve(flags.web), [{ name, dir: folder!.dir, meta: model.meta, plan: model.plan }]);
          process.stderr.write(`wrote the page (${files.length} files) to ${flags.web}; serve the folder over HTTP and open index.html\n`);
        }
        if (flags.triton) {
          const at = await writeTritonModel(resolve(flags.triton), name, folder!.dir, { maxBatchSize: flags.maxBatchSize, maxQueueDelayMicroseconds: Math.round(flags.maxQueueDelayUs) });
          process.stderr.write(`wrote the Triton model ${at} (config.pbtxt, 1/model.onnx)\n`);
        }
      } finally {
        await model.release();
      }
    });
}
