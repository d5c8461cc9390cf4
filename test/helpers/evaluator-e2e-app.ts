/**
 * Out-of-process fixture for test/src/evaluator/evaluator.integration.test.ts: a fresh process,
 * because the http instrumentation records nothing after a second start() in one process
 * (see the final report of the evaluator branch). Prints one JSON line with what it observed.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { start } from '../../src/index';
import type { Alert } from '../../src/evaluator/types';

async function main(): Promise<void> {
  const t = await start({
    service: { name: 'evaluator-e2e' },
    exporters: { prometheus: { port: 0, host: '127.0.0.1' } },
    logging: { level: 'silent' },
    rules: {
      evaluationIntervalMs: 60_000,
      custom: [{ name: 'SlowApi', metric: 'http.server.request.duration', statistic: 'p95', scale: 1000, warning: 50, window: '1m',
        annotations: { summary: 'p95 {{value}} ms' } }],
    },
  });
  // Loaded after start() through require, so the http instrumentation's require hook patches it
  // (a dynamic import() would load the ESM facade, which it does not patch).
  const http = createRequire(__filename)('node:http') as typeof import('node:http');
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end('ok');
    }, 120);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const fired: Alert[] = [];
  t.alerts.on('firing', (a) => fired.push(a as Alert));
  await t.alerts.evaluateNow();
  for (const path of ['/a', '/b', '/c', '/d', '/fail']) await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  await t.alerts.evaluateNow();
  const metrics = await (await fetch(t.metricsUrl as string)).text();
  const out = {
    fired,
    active: t.alerts.active(),
    rules: t.alerts.rules(),
    alertsActiveLines: metrics.split('\n').filter((l) => l.startsWith('pulseguard_alerts_active')),
    report: t.report({ period: '1h', resolution: '1m' }),
  };
  server.close();
  await t.shutdown();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();
