/**
 * How training shows itself: a progress bar per epoch with running losses (stderr, terminals only),
 * a line per epoch with validation metrics, or one JSON object per epoch with --json.
 */
import cliProgress from 'cli-progress';
import type { TrainModelEvent } from '../pipeline/train-model.js';

export type OutputMode = 'text' | 'json' | 'quiet';

const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

export function progressReporter(mode: OutputMode): { onEvent: (e: TrainModelEvent) => void; stop: () => void } {
  const bars = mode === 'text' && process.stderr.isTTY;
  let bar: cliProgress.SingleBar | null = null;
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  const onEvent = (e: TrainModelEvent): void => {
    if (mode === 'quiet') return;
    if (mode === 'json') {
      if (e.event === 'epoch' || e.event === 'resumed' || e.event === 'round' || e.event === 'member') process.stdout.write(`${JSON.stringify(e)}\n`);
      return;
    }
    switch (e.event) {
      case 'epoch-start':
        if (bars) {
          bar = new cliProgress.SingleBar(
            { format: `${e.model} epoch ${e.epoch} [{bar}] {value}/{total} loss {loss}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
            cliProgress.Presets.shades_classic,
          );
          bar.start(e.steps, 0, { loss: '—' });
        }
        break;
      case 'step':
        bar?.update(e.step, { loss: e.losses.map((l) => l.toFixed(3)).join(' ') });
        break;
      case 'epoch': {
        stop();
        const valid = e.valid ? Object.entries(e.valid).map(([t, m]) => `${t} ${m.metric} ${fmt(m.value)}`).join(', ') : 'no validation rows';
        process.stdout.write(`${e.model} epoch ${e.epoch}: loss ${e.trainLoss.map((l) => fmt(l)).join(' ')} | ${valid}${e.best ? ' *' : ''} (${e.seconds.toFixed(1)}s)\n`);
        break;
      }
      case 'round': {
        // Boosting runs hundreds of quick rounds: a line every 10th.
        if (e.round % 10 !== 0) break;
        const valid = e.validScore !== undefined ? ` | valid score ${fmt(e.validScore)}` : e.validLoss !== undefined ? ` | valid loss ${fmt(e.validLoss)}` : '';
        process.stdout.write(`${e.model} round ${e.round}: loss ${fmt(e.trainLoss)}${valid}\n`);
        break;
      }
      case 'member':
        process.stdout.write(`member ${e.index}/${e.of}: ${e.model}${e.secondsLeft !== undefined ? ` (${Math.round(e.secondsLeft)}s left)` : ''}\n`);
        break;
      case 'resumed':
        process.stdout.write(`${e.model}: resumed after epoch ${e.epoch}\n`);
        break;
    }
  };
  return { onEvent, stop };
}
