/**
 * The reference side's SGEMM peak: a square float32 matmul through numpy, on the same libblas.so.3
 * that Debian's PyTorch calls, in the process environment every reference gets (./process.ts).
 */
import { findPython, referenceEnv, referenceResult, referenceScript, runProcess, type BlasReport } from './process.js';

export interface ReferenceSgemm {
  size: number;
  /** Best over the repeats: the machine is shared, and a peak is what is asked for. */
  gflops: number;
  threads: number;
  blas: BlasReport;
}

/** null (with a message) when no python3 has numpy and threadpoolctl, or the run fails. */
export async function referenceSgemm(
  size: number,
  threads: number,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ReferenceSgemm | null> {
  const py = await findPython(['numpy', 'threadpoolctl']);
  if (py === null) {
    log('numpy SGEMM skipped: no python3 can import numpy and threadpoolctl');
    return null;
  }
  const env = referenceEnv({ intraOp: threads, blas: threads });
  const r = await runProcess(py, [referenceScript('blas_kernel.py'), '--size', String(size)], 300_000, env);
  const j = referenceResult('numpy SGEMM', r, log);
  return j === null ? null : { size, gflops: Number(j.gflops), threads, blas: j.blas as BlasReport };
}
