#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { commands } from './commands.js';
import { reportError } from './report-error.js';

const program = new Command('polyhead')
  .description('Multi-task learning and model fusion for tabular classification')
  .version(VERSION)
  .showHelpAfterError()
  // Commander has printed its own message; only the exit code is ours (2: bad usage, like OptionError).
  .exitOverride();

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? 0 : 2) : reportError(err);
});
