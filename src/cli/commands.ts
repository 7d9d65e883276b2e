/** One line per sub-command; each file registers itself on the program. */
import type { Command } from 'commander';
import { registerInspect } from './inspect.js';
import { registerTrain } from './train.js';
import { registerPredict } from './predict.js';
import { registerEval } from './eval.js';
import { registerDemo } from './demo.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerExport } from './export.js';
import { registerTune } from './tune.js';
import { registerFuse } from './fuse.js';

export const commands: Array<(program: Command) => void> = [
  registerInspect,
  registerTrain,
  registerFuse,
  registerEval,
  registerPredict,
  registerReport,
  registerDemo,
  registerServe,
  registerExport,
  registerTune,
];
