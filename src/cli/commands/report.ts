import { parseArgs } from 'node:util';
import { prometheusReport } from '../../report/prometheus-report';
import { formatFleetReport } from '../../report/format-report';
import { fleetErrorInsights, formatFleetErrorInsights } from '../../errors/fleet-insights';
import type { CliCommand } from '../types';

const SYNOPSIS = 'pulseguard report --prometheus URL [--period 1h] [--resolution 1m] [--query-time-ms 100] [--json]';
const USAGE = `usage: pulseguard report --prometheus URL [--period 1h] [--resolution 1m] [--query-time-ms 100] [--json]

Latency percentiles, throughput, error rate and saturation per area (api, websocket, telegram,
database), slow queries, heap, and error insights (top, new and rising error classes) for the
whole fleet that Prometheus scrapes.`;

/**
 * `pulseguard report`: the spec's analyzeNetworkPerformance / analyzeQueryPerformance computed
 * from a Prometheus server. Returns the exit code: 0 ok, 1 Prometheus error, 2 usage error.
 */
export async function run(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' }, period: { type: 'string', default: '1h' }, resolution: { type: 'string', default: '1m' },
        'query-time-ms': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (!values.prometheus) {
    err(`--prometheus URL is required\n${USAGE}`);
    return 2;
  }
  try {
    const report = await prometheusReport({
      url: values.prometheus, period: values.period, resolution: values.resolution,
      queryTimeMs: values['query-time-ms'] !== undefined ? Number(values['query-time-ms']) : undefined,
    });
    const errors = await fleetErrorInsights({ url: values.prometheus, period: values.period });
    out(values.json ? JSON.stringify({ ...report, errors }, null, 2) : `${formatFleetReport(report)}\n\n${formatFleetErrorInsights(errors)}`);
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    err(`pulseguard report: ${message}`);
    return /invalid duration|resolution must/.test(message) ? 2 : 1;
  }
}

/** `pulseguard report` in the CLI's command table. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'latency, throughput, errors and saturation per area for a fleet, from Prometheus',
  usage: SYNOPSIS,
  help: USAGE.slice(USAGE.indexOf('\n\n') + 2),
  run: (args, io) => run([...args], (s) => io.stdout(`${s}\n`), (s) => io.stderr(`${s}\n`)),
};
