import { dashboardIdentity, renderDashboard } from '../../../exporters/grafana/dashboard';
import { buildDefaultRules } from '../../rules/default-rules';
import type { CliCommand } from '../types';
import { runGenerator } from './rules';

/** `pulseguard dashboard [--config file] [--out file]`: a Grafana dashboard for the active configuration. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  summary: 'write a Grafana dashboard (JSON) with threshold lines from the configured levels',
  usage: 'pulseguard dashboard [--config file] [--out file] [--uid uid] [--title title]',
  help: [
    'A Grafana 10/11 dashboard (schemaVersion 39): datasource, service (job) and instance',
    'variables, a row per area (WebSocket, Telegram, database, HTTP, rate limits, runtime,',
    'alerts), threshold lines from the rule levels of the active configuration. Written to',
    '--out, else stdout. Import it in Grafana (Dashboards > New > Import).',
    'uid and title come from service.name (`pulseguard-<name>`, `<name> (pulseguard)`), so each',
    "service gets its own dashboard; --uid and --title override them.",
    '',
    'Exit codes: 0 written, 1 invalid or unreadable configuration, 2 usage error.',
  ].join('\n'),
  run(args, io) {
    return runGenerator(dashboardCommand, args, io, ['config', 'out', 'uid', 'title'], (config, options) => {
      const identity = dashboardIdentity(config.service.name);
      return renderDashboard(buildDefaultRules(config), { uid: options.uid ?? identity.uid, title: options.title ?? identity.title });
    });
  },
};
