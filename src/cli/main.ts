#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands.js';
import { reportError } from './report-error.js';

const program = new Command('polyhead')
  .description('Multi-task learning and model fusion for tabular classification')
  .version(process.env.npm_package_version ?? '0.1.0')
  .showHelpAfterError();

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = reportError(err);
});
