import { strict as assert } from 'node:assert';
import { prometheusReport } from '../../../src/report/prometheus-report';
import { run } from '../../../src/cli/commands/report';
import { startTestPrometheus, type TestPrometheus } from '../../helpers/prometheus-server';
import { fleetExposition, startScrapeTarget, type ScrapeTarget } from '../../helpers/scrape-target';

describe('prometheusReport (real Prometheus)', function () {
  this.timeout(60_000);
  let target: ScrapeTarget;
  let prom: TestPrometheus;

  before(async () => {
    target = await startScrapeTarget(fleetExposition);
    prom = await startTestPrometheus(target.address);
    await prom.waitForScrapes(9);
  });

  after(async () => {
    await prom?.stop();
    await target?.close();
  });

  it('computes latency percentiles, throughput, error rate, saturation and slow queries for the fleet', async () => {
    const r = await prometheusReport({ url: prom.url, period: '1m', resolution: '3s' });
    assert.equal(r.instances, 1);
    const api = r.areas.api;
    assert.ok(Math.abs((api.errorRate ?? 0) - 0.1) < 1e-9, String(api.errorRate));
    // Per scrape: 6 requests in (0, 50 ms], 4 in (50, 500 ms]. p50 = 50*5/6, p95 = 50 + 450*3.5/4.
    assert.ok(Math.abs((api.latency.p50 ?? 0) - 41.667) < 0.1, String(api.latency.p50));
    assert.ok(Math.abs((api.latency.p95 ?? 0) - 443.75) < 0.1, String(api.latency.p95));
    assert.ok(Math.abs((api.latency.avg ?? 0) - 138) < 0.5, String(api.latency.avg)); // (1.08 + 0.3) / 10 s
    assert.ok(api.throughput > 0);
    assert.ok(Math.abs((api.saturation ?? 0) - 0.25) < 1e-6, String(api.saturation));
    assert.ok(api.points.length >= 2);
    assert.ok(api.points.some((p) => p.errorRate !== null && Math.abs(p.errorRate - 0.1) < 1e-9));
    const db = r.areas.database;
    assert.ok(db.latency.count > 0);
    // 3 of every 8 queries are above 100 ms (and above 200 ms by bucket estimate).
    assert.ok(Math.abs(r.queries.slowerThanQueryTime - (3 / 8) * db.latency.count) <= 1, `${r.queries.slowerThanQueryTime} of ${db.latency.count}`);
    assert.ok((r.queries.slowByOperation.SELECT ?? 0) > 0);
    assert.equal(r.areas.websocket.latency.count, 0);
    assert.equal(r.areas.websocket.errorRate, null);
    // Heap used and total (the heap spaces' sizes) summed over the fleet, in MB.
    assert.deepEqual(r.memory, { heapUsed: 4, heapTotal: 8 });
  });

  it('runs as `pulseguard report --prometheus URL --period 1m --json`', async () => {
    const lines: string[] = [];
    const code = await run(['--prometheus', prom.url, '--period', '1m', '--resolution', '10s', '--json'], (s) => lines.push(s), () => {});
    assert.equal(code, 0);
    const parsed = JSON.parse(lines.join('\n')) as { instances: number; areas: { api: { errorRate: number } } };
    assert.equal(parsed.instances, 1);
    assert.ok(Math.abs(parsed.areas.api.errorRate - 0.1) < 1e-9);
    const text: string[] = [];
    assert.equal(await run(['--prometheus', prom.url, '--period', '1m'], (s) => text.push(s), () => {}), 0);
    assert.match(text.join('\n'), /^api\s+41\.7\s+443\.[78]/m);
  });

  it('exits 2 on usage errors and 1 when Prometheus cannot be reached', async () => {
    const errs: string[] = [];
    assert.equal(await run([], () => {}, (s) => errs.push(s)), 2);
    assert.match(errs[0], /--prometheus URL or --metrics URL is required/);
    assert.equal(await run(['--prometheus', prom.url, '--period', '1 hour'], () => {}, () => {}), 2);
    assert.equal(await run(['--prometheus', 'http://127.0.0.1:1'], () => {}, () => {}), 1);
  });
});
