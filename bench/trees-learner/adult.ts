/**
 * Quick check of the boosted-trees learner on UCI Adult's three tasks (income, marital-status,
 * relationship; official split): the learner in one mode, with its seconds, peak RSS and test
 * metrics per task, printed as one JSON line. 10% of adult.data (stratified, seeded) is the
 * early-stopping split, as scikit-learn's HGB holds out internally. Inputs are built straight from
 * the table (numbers raw, categories as codes 1.. of the training dictionary, 0 unseen), not by the
 * feature plan. modelSha256: the trained ensemble's serialized form, to check that a speed-up leaves the
 * trees bit-identical.
 *
 *   node dist/bench/trees-learner/adult.js --mode shared|per-task [--rounds N] [--sketch K] [--sketch-method projection|top] [--stop loss|metric] [--seed S] [--tasks income,...] [--patience P] [--threads T]
 */
import { exitOnHelp } from '../usage.js';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mainThreadCpu } from '../trees/thread-cpu.js';
import { encodeLabels, readTable, sortClasses, splitRows, type Column, type Table, type Task, type TaskLabels } from '../../src/data/index.js';
import { evaluateLabels } from '../../src/eval/task.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { predictProbabilities, trainEnsemble, parseGbdtOptions, type TreeFeature, type TreeInputs } from '../../src/trees/index.js';
import { ensembleToJson } from '../../src/trees/serialize.js';

exitOnHelp(import.meta.url);

const COLUMNS = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex',
  'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income'];
const ALL_TASKS = ['income', 'marital-status', 'relationship'];
const DATA = join(PACKAGE_ROOT, '..', 'shared', 'data', 'adult');

const { values: a } = parseArgs({ options: {
  mode: { type: 'string', default: 'shared' }, rounds: { type: 'string', default: '200' }, sketch: { type: 'string', default: '3' }, 'sketch-method': { type: 'string', default: 'projection' },
  stop: { type: 'string', default: 'loss' }, tasks: { type: 'string', default: ALL_TASKS.join(',') }, seed: { type: 'string', default: '0' }, patience: { type: 'string', default: '10' }, threads: { type: 'string' }, data: { type: 'string', default: DATA },
} });

const TASKS = a.tasks!.split(',');

const column = (t: Table, name: string): Column => t.columns.find((c) => c.name === name)!;

function inputsOf(t: Table, train: Table, rows: Int32Array): TreeInputs {
  const features: TreeFeature[] = [];
  const columns: Float32Array[] = [];
  for (const name of COLUMNS.filter((c) => !ALL_TASKS.includes(c))) {
    const c = column(t, name);
    const ref = column(train, name);
    if (c.type === 'number') {
      features.push({ name, kind: 'numeric' });
      columns.push(Float32Array.from(rows, (r) => c.values[r]!));
      continue;
    }
    const dict = ref.type === 'string' ? ref.dictionary : [];
    const code = new Map(dict.map((v, i) => [v, i + 1]));
    features.push({ name, kind: 'categorical', cardinality: dict.length + 1 });
    columns.push(Float32Array.from(rows, (r) => (c.type === 'string' && c.codes[r]! >= 0 ? code.get(c.dictionary[c.codes[r]!]!) ?? 0 : NaN)));
  }
  return { rowCount: rows.length, features, columns };
}

const pick = (l: TaskLabels, rows: Int32Array): TaskLabels =>
  l.type === 'multilabel' ? l : { ...l, classIndex: Int32Array.from(rows, (r) => l.classIndex[r]!) };

async function main(): Promise<void> {
  const read = { columns: COLUMNS, header: false };
  const trainTable = await readTable(`${a.data}/adult.data`, read);
  const testTable = await readTable(`${a.data}/adult.test`, read);
  const tasks: Task[] = TASKS.map((name) => {
    const c = column(trainTable, name);
    const classes = sortClasses(c.type === 'string' ? c.dictionary : []);
    return { name, type: classes.length === 2 ? 'binary' : 'multiclass', columns: [name], classes };
  });
  const labels = tasks.map((t) => encodeLabels(trainTable, t).labels);
  const split = splitRows(trainTable.rowCount, labels, { seed: Number(a.seed), validFraction: 0.1, testFraction: 0 });
  const all = Int32Array.from({ length: testTable.rowCount }, (_, i) => i);
  const test = { inputs: inputsOf(testTable, trainTable, all), labels: tasks.map((t) => encodeLabels(testTable, t).labels) };
  const options = parseGbdtOptions({ mode: a.mode, rounds: Number(a.rounds), sketch: Number(a.sketch), sketchMethod: a['sketch-method'], stopOn: a.stop, patience: Number(a.patience), seed: Number(a.seed), ...(a.threads ? { threads: Number(a.threads) } : {}) });
  const start = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpu();
  const result = trainEnsemble(
    { inputs: inputsOf(trainTable, trainTable, split.train), labels: labels.map((l) => pick(l, split.train)) },
    { inputs: inputsOf(trainTable, trainTable, split.valid), labels: labels.map((l) => pick(l, split.valid)) },
    tasks, options,
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const mainCpuSeconds = mainThreadCpu() - mainCpu;
  const probs = predictProbabilities(result.ensemble, test.inputs);
  const metrics = Object.fromEntries(tasks.map((t, i) => {
    const e = evaluateLabels(test.labels[i]!, probs[i]!);
    const m = e.metrics as { accuracy: number; macroF1: number; auc: number | null };
    return [t.name, { accuracy: +m.accuracy.toFixed(4), macroF1: +m.macroF1.toFixed(4), auc: +(m.auc ?? NaN).toFixed(4), bestRound: result.taskBestRound[i] }];
  }));
  console.log(JSON.stringify({
    mode: a.mode, threads: options.threads, seed: Number(a.seed), sketch: options.sketch, sketchMethod: options.sketchMethod, stopOn: options.stopOn, seconds: +seconds.toFixed(2), cpuSeconds: +cpuSeconds.toFixed(2), mainCpuSeconds: +mainCpuSeconds.toFixed(2), rounds: result.history.length,
    trees: result.ensemble.trees.length, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), tasks: metrics,
    modelSha256: createHash('sha256').update(JSON.stringify(ensembleToJson(result.ensemble))).digest('hex').slice(0, 16),
    gainPerTask: Object.fromEntries(result.importance.map((i) => [i.task, +i.gain.reduce((x, y) => x + y, 0).toPrecision(4)])),
  }));
}

await main();
