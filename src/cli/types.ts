/** Where a command writes and what it sees; injected so commands run in-process in tests. */
export interface CliIo {
  /** Writes to standard output (text is written as given; add the newline). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** The working directory configuration discovery starts from. */
  cwd: string;
  /** The environment (PULSEGUARD_CONFIG, env-only configuration). */
  env: NodeJS.ProcessEnv;
}

/**
 * One `pulseguard <name>` subcommand. Exit codes: 0 success, 1 the command's own failure
 * (e.g. an invalid configuration), 2 a usage error.
 */
export interface CliCommand {
  /** The word after `pulseguard`. */
  readonly name: string;
  /** One line for `pulseguard --help`. */
  readonly summary: string;
  /** Synopsis, e.g. "pulseguard check [file]". */
  readonly usage: string;
  /** Longer help for `pulseguard <name> --help` (options, exit codes). */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
