import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { MeterProvider, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer as UpstreamSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MetricsEndpoint, PrometheusSerializer } from '../../../exporters/prometheus/index';
import { createLogger } from '../../../src/logging/index';
import { HotMetricRegistry, createHotMetricProducer } from '../../../src/metrics/index';
import { LogCapture } from '../../helpers/log-capture';
import { promtoolCheckMetrics } from '../../helpers/promtool';

const resource = resourceFromAttributes({ 'service.name': 'svc', 'service.instance.id': 'i-1' });

function endpoint(opts: Partial<ConstructorParameters<typeof MetricsEndpoint>[0]> = {}, logs = new LogCapture()): MetricsEndpoint {
  return new MetricsEndpoint({ host: '127.0.0.1', port: 0, endpoint: '/metrics', gzip: true, cardinalityLimit: 2000, collectTimeoutMs: 2000,
    producers: [], logger: createLogger({ destination: logs }), ...opts });
}

function record(provider: MeterProvider): void {
  const meter = provider.getMeter('app', '1.0.0');
  meter.createCounter('app.requests', { description: 'Requests "handled"\nby the app', unit: '{request}' }).add(5, { route: '/a', 'http.method': 'GET' });
  meter.createUpDownCounter('app.inflight').add(-2, { q: 'x\\y' });
  meter.createHistogram('app.latency', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } }).record(0.3, { route: '/a' });
  meter.createObservableGauge('app.temperature').addCallback((r) => r.observe(21.5, { room: 'b' }));
}

const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).sort();

describe('MetricsEndpoint', () => {
  const open: MetricsEndpoint[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });

  describe('#render', () => {
    it('produces the same samples as the upstream OpenTelemetry exporter, and promtool accepts it', async () => {
      const ours = endpoint();
      const upstream = new PrometheusExporter({ preventServerStart: true });
      const provider = new MeterProvider({ resource, readers: [ours.reader, upstream] });
      record(provider);
      const text = await ours.render();
      const { resourceMetrics } = await upstream.collect();
      const theirs = new UpstreamSerializer().serialize(resourceMetrics);
      assert.deepEqual(samples(text), samples(theirs));
      const check = promtoolCheckMetrics(text);
      assert.ok(check.ok, check.output);
      assert.match(text, /^app_requests_total\{route="\/a",http_method="GET",otel_scope_name="app",otel_scope_version="1\.0\.0"\} 5$/m);
      assert.match(text, /^# HELP app_requests_total Requests "handled"\\nby the app$/m);
      await provider.shutdown();
    });

    it('exposes a gauge named like another type\'s series with _current, so promtool\'s lint passes', async () => {
      const ours = endpoint();
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      const meter = provider.getMeter('app');
      meter.createUpDownCounter('pool.connection.count').add(3);
      meter.createObservableGauge('queue.wait.sum').addCallback((r) => r.observe(1.5));
      meter.createUpDownCounter('jobs.total').add(2);
      meter.createCounter('retries.count').add(1);
      meter.createHistogram('op.duration').record(0.2);
      const text = await ours.render();
      for (const re of [/^# TYPE pool_connection_count_current gauge$/m, /^pool_connection_count_current\{[^}]*\} 3$/m,
        /^# TYPE queue_wait_sum_current gauge$/m, /^# TYPE jobs_total_current gauge$/m,
        // Counters and histograms keep their usual names.
        /^# TYPE retries_count_total counter$/m, /^# TYPE op_duration histogram$/m, /^op_duration_count\{/m]) assert.match(text, re);
      const check = promtoolCheckMetrics(text);
      assert.ok(check.ok, check.output);
      await provider.shutdown();
    });

    it('merges one metric name reported by two scopes into one HELP/TYPE block', async () => {
      const ours = endpoint();
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      provider.getMeter('a').createCounter('shared.total_things').add(1);
      provider.getMeter('b').createCounter('shared.total_things').add(2);
      const text = await ours.render();
      assert.equal(text.match(/# TYPE shared_total_things_total counter/g)?.length, 1);
      assert.ok(promtoolCheckMetrics(text).ok);
      await provider.shutdown();
    });

    it('includes pulseguard hot-path metrics through the producer', async () => {
      const reg = new HotMetricRegistry();
      reg.histogram({ name: 'websocket.message.latency', description: 'd', unit: 's' }, [0.01, 0.1]).series({ 'ws.role': 'server' }).record(0.05);
      const ours = endpoint({ producers: [createHotMetricProducer(reg, resource)] });
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      const text = await ours.render();
      assert.match(text, /^websocket_message_latency_bucket\{ws_role="server",otel_scope_name="pulseguard",otel_scope_version="[^"]+",le="0\.1"\} 1$/m);
      assert.ok(promtoolCheckMetrics(text).ok);
      await provider.shutdown();
    });
  });

  describe('#listen', () => {
    it('binds port 0 to a free port, gzips on request and 404s other paths', async () => {
      const ours = endpoint();
      open.push(ours);
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      record(provider);
      const url = await ours.listen();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.notEqual(new URL(url).port, '9464');
      const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.status, 200);
      assert.equal(plain.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const raw = await import('node:http').then((http) => new Promise<Buffer>((resolve, reject) => {
        http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          assert.equal(res.headers['content-encoding'], 'gzip');
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject);
      }));
      assert.match(gunzipSync(raw).toString(), /app_requests_total/);
      assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
      await provider.shutdown();
    });

    it('answers 503 when collection fails, and logs it once', async () => {
      const logs = new LogCapture();
      const broken: MetricProducer = { collect: async () => { throw new Error('producer exploded'); } };
      const ours = endpoint({ producers: [broken] }, logs);
      open.push(ours);
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      const url = await ours.listen();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url);
        assert.equal(res.status, 503);
        assert.match(await res.text(), /metric collection failed/);
      }
      assert.equal(logs.json().filter((l) => l.level === 50).length, 1);
      await provider.shutdown();
    });
  });

  describe('cardinality limit', () => {
    it('folds series beyond the limit into the overflow series, counted and logged once', async () => {
      const logs = new LogCapture();
      const ours = endpoint({ cardinalityLimit: 5 }, logs);
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      const c = provider.getMeter('app').createCounter('app.by_user');
      for (let i = 0; i < 20; i++) c.add(1, { user: `u${i}` });
      const text = await ours.render();
      await ours.render();
      const series = text.split('\n').filter((l) => l.startsWith('app_by_user_total{'));
      assert.equal(series.length, 5);
      assert.match(text, /app_by_user_total\{otel_metric_overflow="true",[^}]*\} 16/);
      const warnings = logs.json().filter((l) => l.metric === 'app.by_user');
      assert.equal(warnings.length, 1);
      await provider.shutdown();
    });
  });

  describe('#handler', () => {
    it('mounts on the application\'s own server', async () => {
      const ours = endpoint();
      const provider = new MeterProvider({ resource, readers: [ours.reader] });
      record(provider);
      const app = createServer((req, res) => (req.url === '/internal/metrics' ? ours.handler(req, res) : res.writeHead(200).end('app')));
      await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
      const { port } = app.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/internal/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /app_latency_bucket/);
      await new Promise((r) => app.close(r));
      await provider.shutdown();
    });
  });
});

describe('PrometheusSerializer', () => {
  it('re-renders nothing for unchanged attribute objects (label cache) yet reflects new values', async () => {
    const reg = new HotMetricRegistry();
    const s = reg.counter({ name: 'x.events', description: 'd', unit: '1' }).series({ kind: 'a' });
    const producer = createHotMetricProducer(reg, resource);
    const ser = new PrometheusSerializer();
    s.add(1);
    const first = ser.serialize((await producer.collect()).resourceMetrics);
    s.add(2);
    const second = ser.serialize((await producer.collect()).resourceMetrics);
    assert.match(first, /x_events_total\{kind="a",[^}]*\} 1/);
    assert.match(second, /x_events_total\{kind="a",[^}]*\} 3/);
  });
});
