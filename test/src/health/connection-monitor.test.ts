import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthRegistry, API_LATENCY_CHECK } from '../../../src/health/index';

const THRESHOLDS = { responseTime: { warning: 1000, critical: 5000 }, errorRate: { warning: 0.05, critical: 0.15 } };
const newRegistry = (checkTimeoutMs = 200) => new HealthRegistry({ version: '1', checkTimeoutMs, cacheTtlMs: 0, connectionThresholds: THRESHOLDS });

describe('ConnectionMonitor', () => {
  describe('#evaluate', () => {
    it('applies the spec connection thresholds (1 s / 5 s, 5% / 15%)', () => {
      const m = newRegistry().connections;
      assert.equal(m.evaluate(1000, 0.05), 'healthy');
      assert.equal(m.evaluate(1001, 0), 'degraded');
      assert.equal(m.evaluate(0, 0.06), 'degraded');
      assert.equal(m.evaluate(5001, 0), 'down');
      assert.equal(m.evaluate(0, 0.16), 'down');
    });
  });

  describe('#watch', () => {
    it('registers <name>:responseTime and reports down on a failing probe, errorRate over the window', async () => {
      const r = newRegistry();
      let up = true;
      r.connections.watch('database', 'database', () => {
        if (!up) throw new Error('ECONNREFUSED');
        return { activeConnections: 4 };
      });
      for (let i = 0; i < 9; i++) await r.check();
      up = false;
      const report = await r.check();
      const c = report.checks.find((x) => x.name === 'database');
      assert.equal(c?.component, 'database');
      assert.equal(c?.measurement, 'responseTime');
      assert.equal(c?.componentType, 'datastore');
      assert.equal(c?.result.status, 'fail');
      assert.equal(c?.result.observedUnit, 'ms');
      assert.equal(report.status, 'unhealthy');
      const health = await r.connections.checkHealth();
      assert.equal(health.database?.status, 'down');
      assert.ok(Math.abs((health.database?.errorRate ?? 0) - 2 / 11) < 1e-9, String(health.database?.errorRate));
      assert.equal(health.database?.activeConnections, 4);
      up = true;
      const recovered = await r.connections.checkHealth();
      // Last probe succeeded, but 2 of 12 failed (16.7%) is still above the 15% critical level.
      assert.equal(recovered.database?.status, 'down');
      // ...while the health check only warns once the dependency answers again.
      const check = (await r.check()).checks.find((x) => x.name === 'database');
      assert.equal(check?.result.status, 'warn');
      for (let i = 0; i < 30; i++) await r.check();
      assert.equal((await r.connections.checkHealth()).database?.status, 'healthy');
    });

    it('records a probe that ignores the timeout as a failure', async () => {
      const r = newRegistry();
      r.connections.watch('telegram', 'telegram', () => new Promise<void>(() => {}));
      const report = await r.check();
      assert.equal(report.checks[0]?.errorCode, 'CHECK_TIMEOUT');
      await new Promise((resolve) => setImmediate(resolve));
      const h = await r.connections.checkHealth();
      assert.equal(h.telegram?.status, 'down');
      assert.equal(h.telegram?.errorRate, 1);
    });

    it('rejects watching the same name twice and stops watching through the remover', async () => {
      const r = newRegistry();
      const stop = r.connections.watch('ws', 'websocket', () => undefined);
      assert.throws(() => r.connections.watch('ws', 'websocket', () => undefined), /already watched/);
      stop();
      assert.deepEqual(r.names(), []);
      assert.equal((await r.connections.checkHealth()).websocket, undefined);
    });
  });

  describe('API endpoints and latency percentiles', () => {
    let server: Server;
    let url: string;
    let delayMs = 0;
    let statusCode = 200;
    before(async () => {
      server = createServer((_req, res) => setTimeout(() => res.writeHead(statusCode).end('ok'), delayMs));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('probes a real HTTP endpoint and feeds the latency percentiles', async () => {
      // A generous timeout: this machine may be loaded, and the timeout path is tested elsewhere.
      const r = newRegistry(5000);
      r.connections.watch('billing-api', 'api', async (signal) => {
        const res = await fetch(url, { signal });
        await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      });
      delayMs = 30;
      await r.check();
      const h = await r.connections.checkHealth();
      assert.equal(h.api?.status, 'healthy');
      assert.ok(h.latency.count >= 2);
      assert.ok(h.latency.p50 >= 25, `p50 ${h.latency.p50}`);
      assert.equal(r.names().includes(API_LATENCY_CHECK), true);
      statusCode = 500;
      await r.check();
      assert.equal((await r.connections.checkHealth()).api?.status, 'down');
      statusCode = 200;
      delayMs = 0;
    });

    it('computes nearest-rank percentiles of recorded request latencies', () => {
      const m = newRegistry().connections;
      for (let i = 1; i <= 100; i++) m.recordApiLatency(i, i <= 90);
      m.recordApiLatency(-1);
      m.recordApiLatency(Number.NaN);
      const l = m.latency();
      assert.deepEqual([l.p50, l.p95, l.p99, l.max, l.count], [50, 95, 99, 100, 100]);
      assert.equal(l.errorRate, 0.1);
    });

    it('rates api:latency by p95 against the response-time thresholds, as a non-critical check', async () => {
      const r = newRegistry();
      for (let i = 0; i < 100; i++) r.connections.recordApiLatency(i < 90 ? 10 : 1500);
      const report = await r.check();
      const c = report.checks.find((x) => x.name === API_LATENCY_CHECK);
      assert.equal(c?.result.status, 'warn');
      assert.equal(c?.result.observedValue, 1500);
      assert.equal(c?.critical, false);
      assert.equal(report.status, 'degraded');
    });
  });
});
