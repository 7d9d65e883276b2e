/**
 * Validation scoring and early stopping. The validation rows' raw scores are kept and every new
 * tree is added to them (no re-prediction), then each task is scored by its main metric (as the
 * neural trainer does) and its log loss. A round is better when the metric is higher, or equal with
 * a lower loss: multiclass macro-F1 stays flat for the first rounds while the argmax is still the
 * prior's, and those rounds must not count as rounds without progress.
 */
import type { TaskLabels } from '../data/schema.js';
import { mainMetric } from '../eval/main-metric.js';
import { accuracyFromConfusion, balancedAccuracyFromConfusion, macroF1FromConfusion } from '../eval/classification.js';
import { confusionMatrix } from '../eval/confusion.js';
import { logLoss } from '../eval/log-loss.js';
import { rocAuc } from '../eval/auc.js';
import { evaluateLabels, type SingleLabelEvaluation, type TaskEvaluation } from '../eval/task.js';
import { gradients } from './loss.js';
import type { TreeEnsemble } from './model.js';
import { scoresToProbabilities } from './predict.js';

export interface TaskScore {
  /** The main metric, sign-flipped for losses so that higher is better. */
  metric: number;
  loss: number;
}

/**
 * evaluateLabels with single-label metrics computed when read: the main metric needs one of them,
 * and computing all (AUC sorts the rows once per class) every round would cost more than a tree.
 */
function lazyEvaluation(l: TaskLabels, probs: Float32Array): TaskEvaluation {
  if (l.type === 'multilabel') return evaluateLabels(l, probs);
  const labels = l.classIndex;
  let confusion: number[][] | undefined;
  const conf = (): number[][] => (confusion ??= confusionMatrix(probs, labels));
  const metrics: SingleLabelEvaluation = {
    get accuracy() { return accuracyFromConfusion(conf()); },
    get balancedAccuracy() { return balancedAccuracyFromConfusion(conf()); },
    get macroF1() { return macroF1FromConfusion(conf()); },
    get logLoss() { return logLoss(probs, labels); },
    get auc() { return rocAuc(probs, labels); },
    get confusion() { return conf(); },
    get count() { return conf().reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0); },
  };
  return { task: l.task, type: l.type, metrics };
}

export function scoreValidation(shell: Pick<TreeEnsemble, 'tasks' | 'outputCount'>, labels: TaskLabels[], raw: Float64Array, rows: number): TaskScore[] {
  const probs = scoresToProbabilities(shell as TreeEnsemble, raw, rows);
  const losses = gradients(shell.tasks, labels, raw, shell.outputCount, null);
  return labels.map((l, t) => {
    const m = mainMetric(lazyEvaluation(l, probs[t]!));
    return { metric: m.lowerIsBetter ? -m.value : m.value, loss: losses[t]! };
  });
}

export const meanScore = (scores: TaskScore[]): TaskScore => ({
  metric: scores.reduce((a, s) => a + s.metric, 0) / scores.length,
  loss: scores.reduce((a, s) => a + s.loss, 0) / scores.length,
});

/** Tracks the best round of one score and how many rounds have passed without beating it. */
export class EarlyStop {
  bestRound = 0;
  private best: TaskScore | null = null;
  private bad = 0;

  constructor(private readonly on: 'metric' | 'loss', private readonly patience: number) {}

  /** Records round `round`'s score; returns true when training of this score should stop. */
  update(round: number, s: TaskScore): boolean {
    if (this.best === null || this.better(s, this.best)) {
      this.best = s;
      this.bestRound = round;
      this.bad = 0;
    } else this.bad++;
    return this.patience > 0 && this.bad >= this.patience;
  }

  private better(a: TaskScore, b: TaskScore): boolean {
    if (this.on === 'loss') return a.loss < b.loss;
    return a.metric > b.metric || (a.metric === b.metric && a.loss < b.loss);
  }
}
