/**
 * Auto: per task, the fusion method (mean, best, select, stack; each with the argmax and, when the
 * run asks for it on a macro-F1 task, the decision rule) whose cross-validated main metric on the
 * fusion's rows is best (cross-validate.ts), then fitted on all of them. Scored in-sample, the
 * methods that fit more look better the more they fit: stack's meta-learner most, mean's nothing.
 * Cross-validated, each is judged on rows it was not fitted on, so the choice is fair. Ties go to
 * the simpler candidate, listed first. The choice and every candidate's score go into model.json.
 */
import { best } from './best.js';
import { crossValidated, taskFolds } from './cross-validate.js';
import type { FusionMethod, ResolvedFusionOptions, TaskInput } from './fusion.js';
import { mean } from './mean.js';
import { isBetter, requireLabels, scorer } from './score.js';
import { select } from './select.js';
import type { TaskFusion } from './spec.js';
import { stack } from './stack.js';
import { decided, takesDecision } from './task-fusion.js';
import type { MainMetric } from '../eval/main-metric.js';

const CANDIDATES: readonly FusionMethod[] = [mean, best, select, stack];

type Decision = ResolvedFusionOptions['decision'];

/** `method` fitted once on `input`, then once per decision (the rule only where takesDecision said so). */
function variants(method: FusionMethod, input: TaskInput, options: ResolvedFusionOptions, decisions: readonly Decision[]): TaskFusion[] {
  const f = method.fitTask(input, options);
  return decisions.map((decision) => (decision === 'argmax' ? f : decided(f, input)));
}

export const auto: FusionMethod = {
  name: 'auto',
  description: 'per task, the method (and decision rule) with the best cross-validated main metric on the fusion rows',
  decidesItself: true,
  fitTask(input, options) {
    requireLabels(input, 'auto');
    const decisions: Decision[] = options.decision === 'macro-f1' && takesDecision(input, options) ? ['argmax', 'macro-f1'] : ['argmax'];
    const folds = taskFolds(input, options.folds, options.seed);
    const score = scorer(input, options);
    const candidates = CANDIDATES.flatMap((method) => {
      const predicted = crossValidated(input, folds, (part) => variants(method, part, options, decisions));
      return decisions.map((decision, v) => ({ method, decision, score: score(predicted[v]!) }));
    });
    let chosen = candidates[0]!;
    let top: MainMetric | undefined;
    for (const c of candidates) if (isBetter(c.score, top)) [chosen, top] = [c, c.score];
    const fitted = variants(chosen.method, input, options, [chosen.decision])[0]!;
    return {
      ...fitted,
      choice: {
        method: chosen.method.name,
        decision: chosen.decision,
        folds: options.folds,
        metric: top!.name,
        candidates: candidates.map((c) => ({ method: c.method.name, decision: c.decision, score: c.score.value })),
      },
    };
  },
};
