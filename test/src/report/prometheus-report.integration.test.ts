import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prometheusReport } from '../../../src/report/prometheus-report';
import { run } from '../../../src/cli/commands/report';
import { startTestPrometheus, type TestPrometheus } from '../../helpers/prometheus-server';

/** A deterministic exposition: every scrape adds the same traffic, so every ratio is exact. */
function exposition(n: number): string {
  return [
    '# TYPE target_info gauge', 'target_info{service_name="fleet",service_instance_id="i1"} 1',
    '# TYPE http_server_request_duration histogram',
    `http_server_request_duration_bucket{http_response_status_code="200",le="0.05"} ${6 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="200",le="0.5"} ${9 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="200",le="+Inf"} ${9 * n}`,
    `http_server_request_duration_sum{http_response_status_code="200"} ${1.08 * n}`,
    `http_server_request_duration_count{http_response_status_code="200"} ${9 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="0.05"} 0`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="0.5"} ${n}`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="+Inf"} ${n}`,
    `http_server_request_duration_sum{http_response_status_code="500"} ${0.3 * n}`,
    `http_server_request_duration_count{http_response_status_code="500"} ${n}`,
    '# TYPE nodejs_eventloop_time_total counter',
    `nodejs_eventloop_time_total{nodejs_eventloop_state="active"} ${0.25 * n}`,
    `nodejs_eventloop_time_total{nodejs_eventloop_state="idle"} ${0.75 * n}`,
    '# TYPE db_client_operation_duration histogram',
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="0.1"} ${5 * n}`,
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="0.25"} ${7 * n}`,
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="+Inf"} ${8 * n}`,
    `db_client_operation_duration_sum{db_operation_name="SELECT"} ${1 * n}`,
    `db_client_operation_duration_count{db_operation_name="SELECT"} ${8 * n}`,
    '# TYPE v8js_memory_heap_used gauge',
    'v8js_memory_heap_used{v8js_heap_space_name="new_space"} 1048576',
    'v8js_memory_heap_used{v8js_heap_space_name="old_space"} 3145728',
    '# TYPE v8js_memory_heap_space_size gauge',
    'v8js_memory_heap_space_size{v8js_heap_space_name="new_space"} 2097152',
    'v8js_memory_heap_space_size{v8js_heap_space_name="old_space"} 6291456',
    '# TYPE db_client_slow_queries_total counter',
    `db_client_slow_queries_total{db_operation_name="SELECT"} ${3 * n}`,
    '',
  ].join('\n');
}

describe('prometheusReport (real Prometheus)', function () {
  this.timeout(60_000);
  let target: Server;
  let prom: TestPrometheus;

  before(async () => {
    let n = 0;
    target = createServer((_, res) => {
      n++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(exposition(n));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    prom = await startTestPrometheus(`127.0.0.1:${(target.address() as AddressInfo).port}`);
    await prom.waitForScrapes(9);
  });

  after(async () => {
    await prom?.stop();
    target?.close();
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
    assert.match(errs[0], /--prometheus URL is required/);
    assert.equal(await run(['--prometheus', prom.url, '--period', '1 hour'], () => {}, () => {}), 2);
    assert.equal(await run(['--prometheus', 'http://127.0.0.1:1'], () => {}, () => {}), 1);
  });
});
