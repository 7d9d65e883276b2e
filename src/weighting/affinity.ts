/**
 * Which tasks help which, from what a Gram step already computes: the running mean over training of
 * the cosine between each pair of task gradients, G_ts/√(G_tt·G_ss), counted only on steps where
 * both tasks had labelled rows and non-zero gradients. Positive: the tasks pull the shared part the
 * same way; negative: they conflict.
 */
export interface AffinityState {
  tasks: number;
  sums: number[];
  counts: number[];
}

export class TaskAffinity {
  constructor(public state: AffinityState) {}

  static empty(tasks: number): TaskAffinity {
    return new TaskAffinity({ tasks, sums: new Array<number>(tasks * tasks).fill(0), counts: new Array<number>(tasks * tasks).fill(0) });
  }

  add(gram: Float64Array, present: Uint8Array): void {
    const T = this.state.tasks;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < T; s++) {
        const norm = Math.sqrt(gram[t * T + t]! * gram[s * T + s]!);
        if (!present[t] || !present[s] || !(norm > 0)) continue;
        this.state.sums[t * T + s]! += gram[t * T + s]! / norm;
        this.state.counts[t * T + s]! += 1;
      }
    }
  }

  /** The T×T mean cosines (null where a pair was never measured). */
  matrix(): (number | null)[][] {
    const T = this.state.tasks;
    return Array.from({ length: T }, (_, t) => Array.from({ length: T }, (_, s) => {
      const n = this.state.counts[t * T + s]!;
      return n > 0 ? this.state.sums[t * T + s]! / n : null;
    }));
  }
}
