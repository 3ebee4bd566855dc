import type { Command } from '../command.ts';

/** Every CLI command, in the order `tessera --help` lists them. Add one line per command. */
export const commands: Command[] = [
];
