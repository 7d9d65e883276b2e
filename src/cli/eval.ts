/** `polyhead eval MODEL DATA`: per-task metrics of a saved model on a labelled table. */
import type { Command } from 'commander';
import { evaluateModel, type ModelEvaluation } from '../bundle/evaluate-model.js';
import { PolyheadModel } from '../bundle/model.js';
import { FORMAT_FLAG, readForModel, type ModelDataFlags } from './model-data.js';
import { joinForModel, type JoinFlags } from './model-join.js';

const f = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(4));

function format(e: ModelEvaluation): string {
  const lines = [`${e.rows} rows`];
  for (const t of e.tasks) {
    const m = t.evaluation.metrics as unknown as Record<string, number | null>;
    const keys = t.evaluation.type === 'multilabel' ? ['hammingLoss', 'subsetAccuracy', 'microF1', 'macroF1', 'auc'] : ['accuracy', 'balancedAccuracy', 'macroF1', 'logLoss', 'auc'];
    lines.push(`${t.evaluation.task} (${t.evaluation.type}): ${keys.map((k) => `${k} ${f(m[k])}`).join(', ')}`);
    const unseen = Object.entries(t.unseenLabels);
    if (unseen.length) {
      const count = unseen.reduce((a, [, n]) => a + n, 0);
      lines.push(`  ${count} rows have labels never seen in training (counted as unlabelled): ${unseen.slice(0, 5).map(([v, n]) => `'${v}' ×${n}`).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a saved model on a labelled table, per task')
    .argument('<model>', "model folder written by 'polyhead train'")
    .argument('<data>', 'table file with the feature and label columns')
    .option('--columns <names>', 'column names for a file without a header (default: the training names)')
    .option(...FORMAT_FLAG)
    .option('--json', 'print one JSON object')
    .option('--join <file>', 'the table the model was trained with --join, joined again by key')
    .option('--on <column>', 'its key column (default: the one the model was trained with)')
    .action(async (modelDir: string, data: string, flags: ModelDataFlags & { json?: boolean } & JoinFlags) => {
      const model = await PolyheadModel.load(modelDir);
      try {
        const join = await joinForModel(model, flags);
        const table = await readForModel(model, data, flags);
        const result = await evaluateModel(model, join ? join.apply(table) : table);
        const warning = join?.warning();
        if (warning) process.stderr.write(warning);
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : format(result));
      } finally {
        await model.release();
      }
    });
}
