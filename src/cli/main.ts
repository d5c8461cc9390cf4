#!/usr/bin/env node
/**
 * The `pulseguard` executable (package.json "bin"). Subcommands live in `commands/`, one file
 * each, listed in `commands/index.ts`.
 */
import { runCli } from './run-cli';

/** Runs the command line of this process and exits with its code. */
export function main(): void {
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  }).then(
    // Exit explicitly: a configuration module may hold handles open (timers, pools) that would
    // otherwise keep `pulseguard check` alive. Writes to pipes and files are synchronous here.
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`pulseguard: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

// Run as a file (`node dist/src/cli/main.js`); the package's bin (dist/bundle/cli.js) calls main().
if (require.main === module) main();

export { runCli };
