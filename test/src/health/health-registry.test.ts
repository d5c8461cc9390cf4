import { strict as assert } from 'node:assert';
import { HealthRegistry } from '../../../src/health/index';
import type { CheckResult } from '../../../src/health/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

const THRESHOLDS = { responseTime: { warning: 1000, critical: 5000 }, errorRate: { warning: 0.05, critical: 0.15 } };
const newRegistry = (cacheTtlMs = 0) => new HealthRegistry({ version: '9.9.9', checkTimeoutMs: 100, cacheTtlMs, connectionThresholds: THRESHOLDS });

describe('HealthRegistry', () => {
  // Contained faults are expected here: capture their log lines instead of printing warnings.
  const contained: string[] = [];
  beforeEach(() => setInternalErrorLogger({ warn: (obj) => contained.push(JSON.stringify(obj)) }));
  afterEach(() => setInternalErrorLogger(undefined));

  describe('#register', () => {
    it('derives component and measurement from the name and rejects duplicates', async () => {
      const r = newRegistry();
      r.register('postgres:responseTime', () => ({ status: 'pass' }));
      r.register('cache', () => ({ status: 'pass' }), { critical: false });
      assert.throws(() => r.register('cache', () => ({ status: 'pass' })), /already registered/);
      const report = await r.check();
      assert.deepEqual(report.checks.map((c) => [c.component, c.measurement, c.critical]), [['postgres', 'responseTime', true], ['cache', 'status', false]]);
      assert.equal(report.version, '9.9.9');
    });

    it('returns a remover that unregisters the check', async () => {
      const r = newRegistry();
      const remove = r.register('x', () => ({ status: 'fail' }));
      assert.equal((await r.check()).status, 'unhealthy');
      remove();
      assert.equal((await r.check()).status, 'healthy');
      assert.deepEqual(r.names(), []);
    });
  });

  describe('#check', () => {
    it('reports a throwing check as fail without rejecting, and keeps the others', async () => {
      const r = newRegistry();
      r.register('ok', () => ({ status: 'pass' }));
      r.register('broken', () => {
        throw new Error('kaput');
      });
      const report = await r.check();
      assert.equal(report.status, 'unhealthy');
      const broken = report.checks.find((c) => c.name === 'broken');
      assert.equal(broken?.errorCode, 'CHECK_THREW');
      assert.equal(broken?.result.output, 'Error: kaput');
      assert.equal(report.checks.find((c) => c.name === 'ok')?.result.status, 'pass');
    });

    it('counts a check that returns no valid status as an internal error and reports fail', async () => {
      const r = newRegistry();
      const before = internalErrorCount('health');
      r.register('garbage', () => ({ status: 'green' }) as unknown as CheckResult);
      const report = await r.check();
      assert.equal(report.checks[0]?.errorCode, 'CHECK_INVALID_RESULT');
      assert.equal(report.checks[0]?.result.status, 'fail');
      assert.equal(internalErrorCount('health'), before + 1);
      assert.ok(contained.some((l) => l.includes('garbage')), 'logged through the component logger');
    });

    it('degrades instead of failing when only a non-critical check fails', async () => {
      const r = newRegistry();
      r.register('optional', () => ({ status: 'fail' }), { critical: false });
      assert.equal((await r.check()).status, 'degraded');
    });
  });

  describe('#componentReport', () => {
    it('is undefined without a provider and maps the provider status to pass/warn/fail', async () => {
      const r = newRegistry();
      assert.equal(await r.componentReport('websocket'), undefined);
      r.setComponentReport('websocket', () => ({ status: 'degraded', metrics: { connections: 3 } }));
      const o = await r.componentReport('websocket');
      assert.equal(o?.status, 'warn');
      assert.deepEqual(o?.report.metrics, { connections: 3 });
      r.setComponentReport('websocket', undefined);
      assert.equal(await r.componentReport('websocket'), undefined);
    });

    it('reports a throwing or invalid provider as fail with a code', async () => {
      const r = newRegistry();
      r.setComponentReport('telegram', () => {
        throw new Error('no client');
      });
      assert.equal((await r.componentReport('telegram'))?.errorCode, 'CHECK_THREW');
      r.setComponentReport('telegram', () => ({ status: 'ok' }) as never);
      const invalid = await r.componentReport('telegram');
      assert.equal(invalid?.errorCode, 'CHECK_INVALID_RESULT');
      assert.equal(invalid?.status, 'fail');
    });
  });
});
