import type { CliCommand } from '../types';
import { checkCommand } from './check';
import { dashboardCommand } from './dashboard';
import { demoCommand } from './demo';
import { reportCommand } from './report';
import { rulesCommand } from './rules';

/**
 * Every `pulseguard` subcommand, in the order `--help` lists them. To add one, write
 * `commands/<name>.ts` exporting a {@link CliCommand} and add it here.
 */
export const COMMANDS: readonly CliCommand[] = [checkCommand, demoCommand, rulesCommand, dashboardCommand, reportCommand];

export { checkCommand, dashboardCommand, demoCommand, reportCommand, rulesCommand };
