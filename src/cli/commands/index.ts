import type { CliCommand } from '../types';
import { checkCommand } from './check';
import { dashboardCommand } from './dashboard';
import { reportCommand } from './report';
import { rulesCommand } from './rules';

/**
 * Every `pulseguard` subcommand, in the order `--help` lists them. To add one, write
 * `commands/<name>.ts` exporting a {@link CliCommand} and add it here (rules, dashboard, demo).
 */
export const COMMANDS: readonly CliCommand[] = [checkCommand, reportCommand, rulesCommand, dashboardCommand];

export { checkCommand, dashboardCommand, reportCommand, rulesCommand };
