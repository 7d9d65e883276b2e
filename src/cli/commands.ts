/** One line per sub-command; each file registers itself on the program. */
import type { Command } from 'commander';

export const commands: Array<(program: Command) => void> = [];
