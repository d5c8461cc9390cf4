export { runCli, usage } from './run-cli';
export { COMMANDS, checkCommand } from './commands/index';
export { summarizeConfig, describeRule, describeRules, formatDuration } from './config-summary';
export { EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './types';
export type { CliCommand, CliIo } from './types';
