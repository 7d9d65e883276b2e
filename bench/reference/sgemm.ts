/**
 * The reference side's SGEMM peak: a square float32 torch.mm, the BLAS call the PyTorch reference's
 * Linear layers make, in the process environment every reference gets (./process.ts).
 */
import { findPython, referenceEnv, referenceResult, referenceScript, runProcess, type BlasReport } from './process.js';

export interface ReferenceSgemm {
  size: number;
  /** Best over the repeats: the machine is shared, and a peak is what is asked for. */
  gflops: number;
  threads: number;
  blas: BlasReport;
}

/**
 * `threads` for both pools: one product runs in BLAS alone, so they do not compete. null (with a
 * message) when no python3 can import torch and threadpoolctl, or the run fails.
 */
export async function referenceSgemm(
  size: number,
  threads: number,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ReferenceSgemm | null> {
  const py = await findPython(['torch', 'threadpoolctl']);
  if (py === null) {
    log('pytorch SGEMM skipped: no python3 can import torch and threadpoolctl');
    return null;
  }
  const env = referenceEnv({ intraOp: threads, blas: threads });
  const r = await runProcess(py, [referenceScript('blas_kernel.py'), '--size', String(size), '--threads', String(threads)], 300_000, env);
  const j = referenceResult('pytorch SGEMM', r, log);
  return j === null ? null : { size, gflops: Number(j.gflops), threads, blas: j.blas as BlasReport };
}
