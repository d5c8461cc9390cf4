import { strict as assert } from 'node:assert';
import { aggregateState, toCheckStatus, toHealthJson, httpStatusOf } from '../../../src/health/index';
import type { CheckOutcome, HealthReport } from '../../../src/health/index';

function outcome(name: string, status: 'pass' | 'warn' | 'fail', extra: Partial<CheckOutcome> = {}): CheckOutcome {
  const [component, measurement = 'status'] = name.split(':');
  return {
    name, component: component ?? name, measurement, componentType: undefined, critical: true, errorCode: undefined,
    result: { status, observedValue: 12, observedUnit: 'ms', output: 'ECONNREFUSED 10.0.0.5:5432', details: { host: '10.0.0.5' } },
    time: '2026-01-01T00:00:00.000Z', durationMs: 1.23456, cached: false, ...extra,
  };
}

describe('health-json', () => {
  describe('toCheckStatus', () => {
    it('maps healthy to pass, degraded to warn and unhealthy to fail', () => {
      assert.deepEqual(['healthy', 'degraded', 'unhealthy', 'pass', 'warn', 'fail'].map((s) => toCheckStatus(s as 'pass')), ['pass', 'warn', 'fail', 'pass', 'warn', 'fail']);
    });
  });

  describe('aggregateState', () => {
    it('is unhealthy when a critical check fails, degraded when a non-critical fails or any warns', () => {
      assert.equal(aggregateState([]), 'healthy');
      assert.equal(aggregateState([outcome('a', 'pass'), outcome('b', 'pass')]), 'healthy');
      assert.equal(aggregateState([outcome('a', 'pass'), outcome('b', 'warn')]), 'degraded');
      assert.equal(aggregateState([outcome('a', 'fail', { critical: false })]), 'degraded');
      assert.equal(aggregateState([outcome('a', 'warn'), outcome('b', 'fail')]), 'unhealthy');
      assert.equal(httpStatusOf('healthy'), 200);
      assert.equal(httpStatusOf('degraded'), 200);
      assert.equal(httpStatusOf('unhealthy'), 503);
    });
  });

  describe('toHealthJson', () => {
    const report: HealthReport = {
      status: 'degraded', timestamp: '2026-01-01T00:00:01.000Z', version: '1.2.3',
      checks: [outcome('database:responseTime', 'pass'), outcome('replica', 'warn', { component: 'database', measurement: 'responseTime' })],
    };

    it('keys checks by component:measurement and keeps the spec fields without internals', () => {
      const body = toHealthJson(report, false);
      assert.deepEqual(body, {
        status: 'warn', version: '1.2.3', timestamp: '2026-01-01T00:00:01.000Z',
        checks: {
          'database:responseTime': [
            { status: 'pass', time: '2026-01-01T00:00:00.000Z', observedValue: 12, observedUnit: 'ms' },
            { componentId: 'replica', status: 'warn', time: '2026-01-01T00:00:00.000Z', observedValue: 12, observedUnit: 'ms' },
          ],
        },
      });
      assert.doesNotMatch(JSON.stringify(body), /10\.0\.0\.5/);
    });

    it('adds output, details, latency and flags in the detailed form', () => {
      const entry = (toHealthJson(report, true).checks as Record<string, Record<string, unknown>[]>)['database:responseTime']?.[0];
      assert.equal(entry?.output, 'ECONNREFUSED 10.0.0.5:5432');
      assert.deepEqual(entry?.details, { host: '10.0.0.5' });
      assert.equal(entry?.latencyMs, 1.235);
      assert.equal(entry?.critical, true);
      assert.equal(entry?.cached, false);
    });
  });
});
