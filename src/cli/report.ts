/** `polyhead report MODEL [--out report.html] [--data FILE]`: one self-contained HTML page about a model. */
import type { Command } from 'commander';
import { writeReport, type ReportResult } from '../report/write-report.js';
import { FORMAT_FLAG, readForModel } from './model-data.js';
import { number } from './options.js';

interface ReportFlags {
  out: string;
  data?: string;
  columns?: string;
  format?: string;
  importanceRows?: number;
  repeats?: number;
  seed?: number;
}

/** Writes the report and says where; `train --report` calls it too. */
export async function runReport(modelDir: string, flags: ReportFlags): Promise<ReportResult> {
  const { out, data, columns, format, ...analysis } = flags;
  const result = await writeReport(modelDir, { out, ...(data !== undefined ? { data } : {}), ...analysis, read: (model, file) => readForModel(model, file, { ...(columns !== undefined ? { columns } : {}), ...(format !== undefined ? { format } : {}) }) });
  const from = result.data ? `charts from ${result.data}` : 'no labelled data: ROC, reliability and importance charts left out (pass --data FILE)';
  process.stderr.write(`wrote ${result.out} (${Math.round(result.bytes / 1024)} KB; ${from})\n`);
  return result;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML page: metrics against the baseline, learning curves, confusion matrices, ROC, calibration, importance, the data')
    .argument('<model>', "model folder written by 'polyhead train'")
    .option('--out <file>', 'HTML file to write', 'report.html')
    .option('--data <file>', 'labelled table for the ROC, reliability and importance charts (default: the test file training used, if it is there)')
    .option('--columns <names>', 'column names for a --data file without a header (default: the training names)')
    .option(...FORMAT_FLAG)
    .option('--importance-rows <n>', 'rows of --data shuffled for permutation importance, a seeded sample (default 2000; 0 skips it)', number('importance-rows'))
    .option('--repeats <n>', 'shuffles per column for permutation importance (default 3)', number('repeats'))
    .option('--seed <n>', 'seed of the importance sample and shuffles (default 42)', number('seed'))
    .action(async (modelDir: string, flags: ReportFlags) => {
      await runReport(modelDir, flags);
    });
}
