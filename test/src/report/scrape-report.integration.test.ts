import { strict as assert } from 'node:assert';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { start, getTelemetry, type Telemetry } from '../../../src/index';
import { scrapeReport, quantileOfBuckets } from '../../../src/report/scrape-report';
import { run } from '../../../src/cli/commands/report';
import { errorClassesExposition, fleetExposition, startScrapeTarget } from '../../helpers/scrape-target';

const near = (actual: number | null, expected: number, eps = 0.01): void => assert.ok(actual !== null && Math.abs(actual - expected) < eps, `${actual} vs ${expected}`);

describe('pulseguard report --metrics (a service\'s /metrics, no Prometheus)', function () {
  this.timeout(30_000);

  it('estimates quantiles from buckets as histogram_quantile does', () => {
    const buckets = [{ le: 0.05, count: 6 }, { le: 0.5, count: 10 }, { le: Infinity, count: 10 }];
    near(quantileOfBuckets(0.5, buckets), 0.05 * 5 / 6, 1e-9);
    near(quantileOfBuckets(0.95, buckets), 0.05 + 0.45 * 3.5 / 4, 1e-9);
    assert.equal(quantileOfBuckets(0.99, [{ le: 1, count: 0 }, { le: Infinity, count: 4 }]), 1, 'in +Inf: the highest finite bound');
    assert.equal(quantileOfBuckets(0.5, [{ le: Infinity, count: 0 }]), null);
  });

  it('computes the same figures from three scrapes as the Prometheus report does from its history', async () => {
    // The fake service of the Prometheus report's test, plus error classes: timeout appears in the second half.
    const target = await startScrapeTarget((n) => fleetExposition(n) + errorClassesExposition(n, 2));
    try {
      const { report: r, errors } = await scrapeReport({ url: target.url, interval: '2s', sleep: async () => {} });
      assert.equal(r.instances, 1);
      const api = r.areas.api;
      // Two scrapes' worth of traffic between the first and the last: 20 requests, 2 of them 500s.
      assert.equal(api.latency.count, 20);
      near(api.errorRate, 0.1, 1e-9);
      near(api.latency.p50, 41.667);
      near(api.latency.p95, 443.75);
      near(api.latency.avg, 138, 0.5);
      near(api.saturation, 0.25, 1e-9);
      assert.ok(api.throughput > 0);
      assert.equal(r.areas.database.latency.count, 16);
      assert.equal(r.queries.slowerThanQueryTime, 6, '3 of every 8 queries above 100 ms');
      assert.deepEqual(r.queries.slowByOperation, { SELECT: 6 });
      assert.equal(r.areas.websocket.latency.count, 0);
      assert.equal(r.areas.websocket.errorRate, null);
      assert.deepEqual(r.memory, { heapUsed: 4, heapTotal: 8 });
      assert.deepEqual(errors.topClasses.map((c) => [c.errorClass, c.total, c.previousHalf, c.lastHalf]), [['timeout', 5, 0, 5], ['network', 4, 2, 2]]);
      assert.deepEqual(errors.newClasses.map((c) => c.errorClass), ['timeout']);
      assert.deepEqual(errors.risingClasses.map((c) => c.errorClass), ['timeout']);
    } finally {
      await target.close();
    }
  });

  describe('against a real pulseguard /metrics', () => {
    let telemetry: Telemetry;
    let app: Server;
    let appUrl: string;
    before(async () => {
      telemetry = await start({ service: { name: 'scrape-report' }, logging: { level: 'silent' },
        exporters: { prometheus: { port: 0, host: '127.0.0.1' } }, instrumentations: { runtime: { enabled: false } } });
      // require()d after start(), as an app does, so instrumentation-http patches it (an ESM
      // import() of a builtin does not go through require's hook).
      const { createServer } = createRequire(__filename)('node:http') as typeof import('node:http');
      app = createServer((req, res) => {
        res.statusCode = req.url === '/fail' ? 500 : 200;
        res.end('ok');
      });
      await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
      appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((r) => app.close(() => r()));
      await getTelemetry()?.shutdown();
    });

    const traffic = async (ok: number, failed: number): Promise<void> => {
      for (let i = 0; i < ok; i++) await (await fetch(`${appUrl}/ok`)).arrayBuffer();
      for (let i = 0; i < failed; i++) await (await fetch(`${appUrl}/fail`)).arrayBuffer();
    };

    it('counts the requests made between the first and the last scrape (its own scrapes left out)', async () => {
      await traffic(5, 0); // before the first scrape: not in the report
      let half = 0;
      const { report } = await scrapeReport({ url: telemetry.metricsUrl as string, interval: '1s', sleep: async () => {
        half++;
        await traffic(half === 1 ? 6 : 3, 1);
      } });
      assert.equal(report.source, telemetry.metricsUrl);
      assert.equal(report.instances, 1);
      assert.equal(report.areas.api.latency.count, 11, '9 + 2 requests, no scrape counted');
      near(report.areas.api.errorRate, 2 / 11, 1e-9);
      assert.ok((report.areas.api.latency.p95 ?? 0) > 0);
    });

    it('runs as `pulseguard report --metrics URL`, and reads a --prometheus URL ending in /metrics the same way', async () => {
      const lines: string[] = [];
      assert.equal(await run(['--metrics', telemetry.metricsUrl as string, '--interval', '1s', '--json'], (s) => lines.push(s), () => {}), 0);
      const parsed = JSON.parse(lines.join('\n')) as { instances: number; source: string; errors: { topClasses: unknown[] } };
      assert.deepEqual([parsed.instances, parsed.source], [1, telemetry.metricsUrl]);
      assert.ok(Array.isArray(parsed.errors.topClasses));
      const text: string[] = [];
      const errs: string[] = [];
      assert.equal(await run(['--prometheus', telemetry.metricsUrl as string, '--interval', '1s'], (s) => text.push(s), (s) => errs.push(s)), 0, errs.join('\n'));
      assert.match(text.join('\n'), new RegExp(`^pulseguard report: ${telemetry.metricsUrl}, .* 1 instance\\(s\\)$`, 'm'));
      assert.match(text.join('\n'), /^api +/m);
    });

    it('says clearly when the URL is not a /metrics endpoint, and exits 2 on a bad interval', async () => {
      const errs: string[] = [];
      assert.equal(await run(['--metrics', `${appUrl}/ok`, '--interval', '1s'], () => {}, (s) => errs.push(s)), 1);
      assert.match(errs.join('\n'), /is not a Prometheus \/metrics endpoint \(not a Prometheus exposition line: ok\)/);
      assert.equal(await run(['--metrics', telemetry.metricsUrl as string, '--interval', 'soon'], () => {}, () => {}), 2);
    });
  });
});
