import type { CliCommand } from '../types';
import { checkCommand } from './check';
import { demoCommand } from './demo';
import { reportCommand } from './report';

/**
 * Every `pulseguard` subcommand, in the order `--help` lists them. To add one, write
 * `commands/<name>.ts` exporting a {@link CliCommand} and add it here (rules, dashboard, demo).
 */
export const COMMANDS: readonly CliCommand[] = [checkCommand, reportCommand, demoCommand];

export { checkCommand, reportCommand, demoCommand };
