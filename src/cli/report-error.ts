import { DataError, ModelError, OptionError, PolyheadError, TrainingError } from '../errors.js';

/** Exit codes say what failed: 2 bad options, 3 bad data, 4 bad model folder, 5 training failed. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof OptionError) return 2;
  if (err instanceof DataError) return 3;
  if (err instanceof ModelError) return 4;
  if (err instanceof TrainingError) return 5;
  return 1;
}

/** Users see the message of an error we raised; anything else is a bug and keeps its stack. */
export function reportError(err: unknown): number {
  if (err instanceof PolyheadError) {
    process.stderr.write(`polyhead: error [${err.code}]: ${err.message}\n`);
  } else {
    process.stderr.write(`polyhead: internal error (please report): ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  return exitCodeFor(err);
}
