/**
 * CPU seconds of the main thread alone (Linux: /proc, clock ticks of 10 ms; NaN elsewhere). With
 * worker threads, the main thread's busy time is the critical path a quiet machine's wall time
 * approaches, which a loaded machine's wall time does not show.
 */
import { readFileSync } from 'node:fs';

export function mainThreadCpu(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
