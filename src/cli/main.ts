import { parseArgs } from './args.ts';
import { type Command, UserError } from './command.ts';
import { commands } from './commands/index.ts';
import { closestNames } from '../util/closest.ts';

function helpFor(command: Command): string {
  const lines = [`tessera ${command.name}${command.usage ? ` ${command.usage}` : ''}`, '', `  ${command.summary}`, ''];
  for (const [name, spec] of Object.entries(command.flags)) {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'boolean' ? '' : ` <${spec.type}>`}`;
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : '';
    lines.push(`  ${flag.padEnd(28)} ${spec.description}${def}`);
  }
  return lines.join('\n');
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'tessera: native autoregressive multimodal image generation',
    '',
    'Usage: tessera <command> [options]   (tessera <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
  ].join('\n');
}

/** Finds the longest command name that prefixes argv ("world build" before "world"). */
function resolve(argv: string[]): { command?: Command; rest: string[] } {
  for (let words = Math.min(3, argv.length); words > 0; words--) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return { rest: argv };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(overview());
    return 0;
  }
  const { command, rest } = resolve(argv);
  if (!command) {
    const names = commands.map((c) => c.name);
    const hint = closestNames(argv.slice(0, 2).join(' '), names).concat(closestNames(argv[0], names));
    console.error(`tessera: unknown command "${argv[0]}".${hint.length ? ` Did you mean: ${[...new Set(hint)].slice(0, 3).join(', ')}?` : ''} Run "tessera --help" for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(helpFor(command));
    return 0;
  }
  try {
    const parsed = parseArgs(rest, command.flags);
    return (await command.run(parsed)) ?? 0;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`tessera ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
