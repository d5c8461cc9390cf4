import { parseArgs } from 'node:util';
import { prometheusReport } from '../../report/prometheus-report';
import { scrapeReport } from '../../report/scrape-report';
import { formatFleetReport } from '../../report/format-report';
import { fleetErrorInsights, formatFleetErrorInsights } from '../../errors/fleet-insights';
import type { CliCommand } from '../types';

const SYNOPSIS = 'pulseguard report (--prometheus URL [--period 1h] [--resolution 1m] | --metrics URL [--interval 10s]) [--query-time-ms 100] [--json]';
const USAGE = `usage: pulseguard report --prometheus URL [--period 1h] [--resolution 1m] [--query-time-ms 100] [--json]
       pulseguard report --metrics URL [--interval 10s] [--query-time-ms 100] [--json]

Latency percentiles, throughput, error rate and saturation per area (api, websocket, telegram,
database), slow queries, heap, and error insights (top, new and rising error classes) for the
whole fleet that Prometheus scrapes (--prometheus, the server's base URL), or for one service
without Prometheus (--metrics, its /metrics URL: scraped at the start, middle and end of
--interval, rates from the difference). A --prometheus URL ending in /metrics is read as --metrics.`;

/**
 * `pulseguard report`: the spec's analyzeNetworkPerformance / analyzeQueryPerformance computed
 * from a Prometheus server, or from one service's /metrics. Returns the exit code: 0 ok, 1 Prometheus
 * or scrape error, 2 usage error.
 */
export async function run(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' }, metrics: { type: 'string' }, interval: { type: 'string', default: '10s' }, period: { type: 'string', default: '1h' }, resolution: { type: 'string', default: '1m' },
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
  // The natural first try is pulseguard's own metrics port: a /metrics URL is a service, not Prometheus.
  const metricsUrl = values.metrics ?? (values.prometheus !== undefined && isMetricsUrl(values.prometheus) ? values.prometheus : undefined);
  if (!metricsUrl && !values.prometheus) {
    err(`--prometheus URL or --metrics URL is required\n${USAGE}`);
    return 2;
  }
  const queryTimeMs = values['query-time-ms'] !== undefined ? Number(values['query-time-ms']) : undefined;
  try {
    if (metricsUrl) {
      const { report, errors } = await scrapeReport({ url: metricsUrl, interval: values.interval, queryTimeMs });
      out(values.json ? JSON.stringify({ ...report, errors }, null, 2) : `${formatFleetReport(report)}\n\n${formatFleetErrorInsights(errors)}`);
      return 0;
    }
    const prometheus = values.prometheus as string;
    const report = await prometheusReport({ url: prometheus, period: values.period, resolution: values.resolution, queryTimeMs });
    const errors = await fleetErrorInsights({ url: prometheus, period: values.period });
    out(values.json ? JSON.stringify({ ...report, errors }, null, 2) : `${formatFleetReport(report)}\n\n${formatFleetErrorInsights(errors)}`);
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    err(`pulseguard report: ${message}`);
    return /invalid duration|resolution must|interval must/.test(message) ? 2 : 1;
  }
}

/** Whether a URL names a /metrics endpoint rather than a Prometheus server. */
function isMetricsUrl(url: string): boolean {
  try {
    return /\/metrics\/?$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** `pulseguard report` in the CLI's command table. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'latency, throughput, errors and saturation per area, from Prometheus or a service\'s /metrics',
  usage: SYNOPSIS,
  help: USAGE.slice(USAGE.indexOf('\n\n') + 2),
  run: (args, io) => run([...args], (s) => io.stdout(`${s}\n`), (s) => io.stderr(`${s}\n`)),
};
