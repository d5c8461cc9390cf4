import { VERSION } from '../version';
import { COMMANDS } from './commands/index';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './types';

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/** `pulseguard --help`: the command list, generated from the dispatch table. */
export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'usage: pulseguard <command> [arguments]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'pulseguard <command> --help   help for one command',
    'pulseguard --version          print the version',
    '',
    'Start an app with pulseguard: node --import pulseguard/register app.js',
    '',
  ].join('\n');
}

/**
 * Dispatches `pulseguard <command> [args]` and resolves to the exit code: the command's own, 0 for
 * help and version, 2 (with the usage on stderr) for a missing or unknown command.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(usage(commands));
    return EXIT_USAGE;
  }
  if (HELP_FLAGS.has(name)) {
    const topic = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    io.stdout(topic ? `usage: ${topic.usage}\n\n${topic.help}\n` : usage(commands));
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`pulseguard: unknown command "${name}"\n\n${usage(commands)}`);
    return EXIT_USAGE;
  }
  if (args.some((a) => a === '--help' || a === '-h')) {
    io.stdout(`usage: ${command.usage}\n\n${command.help}\n`);
    return EXIT_OK;
  }
  return command.run(args, io);
}
