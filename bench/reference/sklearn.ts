/**
 * scikit-learn reference runs: HistGradientBoostingClassifier per task on UCI Adult
 * (bench/reference/adult_hgb.py), in the process environment every reference gets (./process.ts).
 * Run directly: node dist/bench/reference/sklearn.js [--threads N] [--data DIR]
 */
import { pathToFileURL } from 'node:url';
import { describeBlas, ensurePython, referenceEnv, referenceResult, referenceScript, runProcess, type BlasReport, type EnsureOptions } from './process.js';

const SKLEARN = {
  what: 'scikit-learn reference',
  modules: ['sklearn', 'pandas', 'threadpoolctl'],
  aptPackages: ['python3-sklearn', 'python3-pandas', 'python3-threadpoolctl'],
};

export interface AdultHgbArgs {
  /** OpenMP threads of the boosting, and OpenBLAS's. */
  threads: number;
  /** Folder with adult.data and adult.test (default: the script's, /work/shared/data/adult beside the project). */
  data?: string;
  seed?: number;
  timeoutMs?: number;
}

export interface AdultHgbTask {
  classes: number;
  accuracy: number;
  macroF1: number;
  auc: number;
  iterations: number;
  seconds: number;
}

export interface AdultHgbResult {
  sklearnVersion: string;
  trainRows: number;
  testRows: number;
  tasks: Record<string, AdultHgbTask>;
  threads: number;
  python: string;
  blas: BlasReport;
}

/**
 * Fits and scores the per-task baselines; null (with a message) when scikit-learn is missing and
 * cannot be installed, or the run fails.
 */
export async function runAdultHgb(args: AdultHgbArgs, options: EnsureOptions = {}): Promise<AdultHgbResult | null> {
  const log = options.log ?? ((line: string) => console.error(line));
  const py = await ensurePython(SKLEARN, { ...options, log });
  if (py === null) return null;
  const flags = [...(args.data ? ['--data', args.data] : []), ...(args.seed !== undefined ? ['--seed', String(args.seed)] : [])];
  const env = referenceEnv({ intraOp: args.threads, blas: args.threads });
  const r = await runProcess(py, [referenceScript('adult_hgb.py'), ...flags], args.timeoutMs ?? 600_000, env);
  const j = referenceResult('scikit-learn reference', r, log);
  if (j === null) return null;
  return {
    sklearnVersion: String(j.sklearn),
    trainRows: Number(j.train_rows),
    testRows: Number(j.test_rows),
    tasks: j.tasks as Record<string, AdultHgbTask>,
    threads: args.threads,
    python: py,
    blas: j.blas as BlasReport,
  };
}

async function main(): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const threads = Number(flag('threads') ?? 1);
  const data = flag('data');
  const r = await runAdultHgb({ threads, ...(data ? { data } : {}) });
  if (r === null) return;
  console.log(`scikit-learn ${r.sklearnVersion} HistGradientBoostingClassifier, ${threads} thread(s), ${describeBlas(r.blas)}`);
  for (const [task, t] of Object.entries(r.tasks)) {
    console.log(`${task}: accuracy ${t.accuracy.toFixed(4)}, macro-F1 ${t.macroF1.toFixed(4)}, AUC ${t.auc.toFixed(4)}, ${t.iterations} iterations, ${t.seconds.toFixed(2)} s`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
