/**
 * The worker loop: take a trial a dead worker left (or a killed run, on the file store), else claim
 * a new one with the sampler's proposal, run it, record how it ended; until the study has its trials
 * or this worker's time is up. Claims are recorded before a trial runs, so however many workers
 * share a study and however often one is killed, each trial number runs to its end once.
 */
import { trialRandom, type Observation, type Sampler } from './sampler.js';
import type { Params, SearchSpace } from './space.js';
import type { StudyStore, TrialRecord } from './store.js';
import type { TrialOutcome } from './trial.js';

export interface StudyLoop {
  store: StudyStore;
  space: SearchSpace;
  sampler: Sampler;
  seed: number;
  /** Trials in the study, all workers together (null: until the deadline). */
  trials: number | null;
  /** Epoch milliseconds after which no new trial starts (null: none). */
  deadline: number | null;
  worker: string;
  /** Trial 0's parameters instead of a proposal (the trainer's defaults). */
  first?: Params;
  run: (trial: TrialRecord) => Promise<TrialOutcome>;
  onTrialStart?: (trial: TrialRecord, resumed: boolean) => void;
  onTrialEnd?: (trial: TrialRecord) => void;
}

/** Finished trials with a score, in trial-number order, as the sampler sees them. */
export function observations(trials: TrialRecord[], before: number): Observation[] {
  return trials
    .filter((t) => t.number < before && t.state !== 'running' && typeof t.result?.score === 'number')
    .map((t) => ({ params: t.params, score: t.result!.score! }));
}

export async function runStudy(s: StudyLoop): Promise<void> {
  for (;;) {
    if (s.deadline !== null && Date.now() >= s.deadline) return;
    const reclaimed = await s.store.reclaim(s.worker);
    const trial = reclaimed ?? (await s.store.claim(s.worker, s.trials, (all, number) => (number === 0 && s.first ? s.first : s.sampler.propose(s.space, observations(all, number), trialRandom(s.seed, number)))));
    if (!trial) return;
    s.onTrialStart?.(trial, reclaimed !== null);
    const { state, result } = await s.run(trial);
    await s.store.finish(trial.number, state, result);
    s.onTrialEnd?.({ ...trial, state, result });
  }
}
