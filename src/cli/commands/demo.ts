import type { CliCommand } from '../types';

/** `pulseguard demo`: runs the chat-gateway example through a scripted scenario. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'run the chat-gateway example through a scenario that fires and resolves alerts',
  usage: 'pulseguard demo [--duration 60s] [--scenario default|short]',
  help: [
    'Starts examples/chat-gateway (HTTP API behind the rate limiter, a WebSocket server, a GramJS',
    'client on the fake Telegram data centre, PostgreSQL when DATABASE_URL is set) and plays a',
    'scenario: normal traffic, a message burst, flood waits and a DC migration, a latency spike,',
    'a dropped Telegram connection that recovery repairs. Prints each alert and recovery run.',
    '',
    'Options: --duration <60s|1m|90> (at least 5s), --scenario <default|short>.',
    'A real account is used when TELEGRAM_API_ID, TELEGRAM_API_HASH and TELEGRAM_SESSION are set.',
    '',
    'Exit codes: 0 finished or stopped by Ctrl-C, 2 usage error.',
  ].join('\n'),
  async run(args, io) {
    // Loaded on use, so the other commands never load the example (and GramJS through the fake DC).
    // A dynamic relative import needs its extension under NodeNext.
    const { runDemo } = await import('../../../examples/chat-gateway/main.js');
    const result = await runDemo(args, io);
    return result.exitCode;
  },
};
