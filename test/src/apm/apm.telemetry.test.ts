import { strict as assert } from 'node:assert';
import type { HistogramMetricData, SumMetricData } from '@opentelemetry/sdk-metrics';
import { start, getTelemetry } from '../../../src/index';

describe('telemetry.apm', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('reports transactions, operations and dependency calls through telemetry.collect()', async () => {
    const t = await start({ service: { name: 'apm-test' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    t.apm.trackTransaction('signup').end();
    await t.apm.measureLatency('hash-password', async () => 'h');
    t.apm.recordDependencyCall('smtp', { durationMs: 30, ok: true });
    const tx = t.apm.trackTransaction('broken');
    tx.fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));

    const rm = await t.collect();
    const all = rm.scopeMetrics.filter((s) => s.scope.name === 'pulseguard').flatMap((s) => s.metrics);
    const byName = new Map(all.map((m) => [m.descriptor.name, m]));
    const txm = byName.get('app.transaction.duration') as HistogramMetricData;
    assert.equal(txm.descriptor.unit, 's');
    assert.deepEqual(txm.dataPoints.map((p) => `${p.attributes['transaction.name']}/${p.attributes['outcome']}`).sort(), ['broken/failure', 'signup/success']);
    assert.equal((byName.get('app.operation.duration') as HistogramMetricData).dataPoints[0].attributes['operation.name'], 'hash-password');
    assert.equal((byName.get('app.dependency.calls') as SumMetricData).dataPoints[0].value, 1);
    // The failed transaction was tracked by telemetry.errors.
    assert.equal(t.errors.groups({ class: 'network' })[0]?.count, 1);
  });
});
