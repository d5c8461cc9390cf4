import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start, getTelemetry } from '../../../src/index';
import { flushGlobalTelemetry } from '../../../src/errors/flush-telemetry';

describe('flushGlobalTelemetry', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('resolves with no SDK running', async () => {
    await flushGlobalTelemetry();
  });

  it('exports pending OTLP metrics of the running SDK at once', async () => {
    const urls: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        urls.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const t = await start({ service: { name: 'flush-test' }, logging: { level: 'silent' },
        exporters: { prometheus: { enabled: false }, otlp: { enabled: true, endpoint, metrics: true, metricsIntervalMs: 600_000 } } });
      t.errors.track(new Error('before flush'));
      assert.equal(urls.length, 0);
      await flushGlobalTelemetry();
      assert.ok(urls.includes('/v1/metrics'), urls.join(','));
    } finally {
      await getTelemetry()?.shutdown();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
