import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { start, getTelemetry } from '../../../src/index';
import { OtlpReceiver } from '../../helpers/otlp-receiver';

describe('OTLP/HTTP export', () => {
  let receiver: OtlpReceiver;
  let endpoint: string;
  beforeEach(async () => {
    receiver = new OtlpReceiver();
    endpoint = await receiver.start();
  });
  afterEach(async () => {
    await getTelemetry()?.shutdown();
    await receiver.stop();
  });

  it('sends traces and metrics with the service resource to any OTLP/HTTP endpoint', async () => {
    const t = await start({ service: { name: 'otlp-test', version: '2.0.0', instanceId: 'i-9' }, logging: { level: 'silent' },
      exporters: { prometheus: { enabled: false }, otlp: { enabled: true, endpoint, metrics: true, metricsIntervalMs: 1000 } } });
    // The app's modules load after pulseguard starts, as with --import pulseguard/register.
    const http = createRequire(__filename)('node:http') as typeof import('node:http');
    const { createServer } = http;
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await trace.getTracer('app').startActiveSpan('checkout', async (span) => {
      // node:http (instrumented) propagates traceparent; fetch (undici) is not instrumented here.
      await new Promise<void>((resolve, reject) => http.get(`http://127.0.0.1:${port}/pay`, (res) => res.resume().on('end', resolve)).on('error', reject));
      span.end();
    });
    await new Promise((r) => server.close(r));
    await t.shutdown(); // flushes the batch processor and the metric reader
    const serverSpan = receiver.spans.find((s) => s.kind === 2 && OtlpReceiver.attr(s, 'url.path') === '/pay');
    assert.ok(serverSpan, `no HTTP server span among: ${receiver.spans.map((s) => s.name).join(', ')}`);
    const root = receiver.spans.find((s) => s.name === 'checkout');
    assert.ok(root);
    assert.equal(serverSpan.traceId, root.traceId, 'the server span is in the client call\'s trace (context propagated)');
    assert.deepEqual({ name: receiver.resourceAttributes[0]['service.name'], version: receiver.resourceAttributes[0]['service.version'] }, { name: 'otlp-test', version: '2.0.0' });
    assert.ok(receiver.metricNames.has('http.server.request.duration'), [...receiver.metricNames].join(','));
  });

  it('retries a 503 from the collector and delivers the batch', async () => {
    receiver.failNext = 2;
    const t = await start({ service: { name: 'otlp-retry' }, logging: { level: 'silent' },
      exporters: { prometheus: { enabled: false }, otlp: { enabled: true, endpoint, timeoutMs: 10_000 } } });
    trace.getTracer('app').startSpan('after-outage').end();
    await t.shutdown();
    assert.ok(receiver.requests >= 3, `requests: ${receiver.requests}`);
    assert.ok(receiver.spans.some((s) => s.name === 'after-outage'));
  });

  it('does not send anything when OTLP is off (no default exporter aimed at localhost)', async () => {
    const t = await start({ service: { name: 'otlp-off' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } } });
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    try {
      trace.getTracer('app').startSpan('local-only').end();
      await t.shutdown();
      assert.equal(receiver.requests, 0);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    }
  });
});
