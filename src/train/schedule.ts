/** Learning-rate schedules: a learning rate per step, computed in JS and fed as a scalar. */
export type ScheduleName = 'constant' | 'cosine' | 'plateau';
export const SCHEDULES: readonly ScheduleName[] = ['constant', 'cosine', 'plateau'];

export interface ScheduleOptions {
  name: ScheduleName;
  lr: number;
  totalSteps: number;
  /** Linear warm-up over this many steps (cosine). */
  warmupSteps: number;
  /** Plateau: multiply by `factor` after `patience` epochs without improvement. */
  factor?: number;
  patience?: number;
}

export class Schedule {
  private scale = 1;
  private bad = 0;
  private best = Infinity;

  constructor(private readonly o: ScheduleOptions) {}

  /** Learning rate at 0-based `step`. */
  at(step: number): number {
    const { lr, totalSteps, warmupSteps } = this.o;
    if (this.o.name === 'cosine') {
      if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
      const t = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
      return lr * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    return lr * this.scale;
  }

  /** Reports an epoch's validation loss (lower is better); only 'plateau' reacts. */
  epochEnd(loss: number): void {
    if (this.o.name !== 'plateau') return;
    if (loss < this.best - 1e-6) {
      this.best = loss;
      this.bad = 0;
    } else if (++this.bad > (this.o.patience ?? 2)) {
      this.scale *= this.o.factor ?? 0.5;
      this.bad = 0;
    }
  }

  /** Plateau state, for checkpoints. */
  get state(): { scale: number; bad: number; best: number } {
    return { scale: this.scale, bad: this.bad, best: this.best };
  }

  restore(s: { scale: number; bad: number; best: number | null }): void {
    this.scale = s.scale;
    this.bad = s.bad;
    this.best = s.best ?? Infinity;
  }
}
