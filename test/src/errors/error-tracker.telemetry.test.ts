import { strict as assert } from 'node:assert';
import { context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ResourceMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { start, getTelemetry, registerSecret, ConfigError } from '../../../src/index';

function trackedValue(rm: ResourceMetrics, errorClass: string): { value: number; unit: string } | undefined {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.descriptor.name !== 'pulseguard.errors.tracked') continue;
      const dp = (m as SumMetricData).dataPoints.find((p) => p.attributes['error.class'] === errorClass);
      if (dp) return { value: dp.value, unit: m.descriptor.unit };
    }
  }
  return undefined;
}

describe('telemetry.errors', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('records a redacted exception span event on the active span and counts pulseguard.errors.tracked{error.class}', async () => {
    const t = await start({ service: { name: 'errors-test' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    const before = trackedValue(await t.collect(), 'network');
    // Known classes are pre-created at 0, so the series exists before the first error.
    assert.ok(before, 'pulseguard.errors.tracked{error.class=network} exists before any error');
    assert.equal(before.unit, '{error}');

    const secret = 'S3cr3tApiHashValue0123456789abcd';
    registerSecret(secret);
    const span = trace.getTracer('test').startSpan('send-message');
    const summary = context.with(trace.setSpan(context.active(), span), () =>
      t.errors.track(Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 key=${secret}`), { code: 'ECONNREFUSED' })));
    span.end();

    assert.equal(summary?.errorClass, 'network');
    const events = (span as unknown as ReadableSpan).events;
    assert.equal(events.length, 1);
    const ev = events[0];
    assert.equal(ev.name, 'exception');
    assert.equal(ev.attributes?.['exception.type'], 'Error');
    assert.equal(ev.attributes?.['error.class'], 'network');
    assert.equal(ev.attributes?.['pulseguard.error.fingerprint'], summary?.fingerprint);
    assert.match(String(ev.attributes?.['exception.message']), /^connect ECONNREFUSED 10\.0\.0\.1:443 key=\[REDACTED\]$/);
    assert.ok(!JSON.stringify(ev).includes(secret));

    const after = trackedValue(await t.collect(), 'network');
    assert.equal((after?.value ?? 0) - before.value, 1);
  });

  it('adds no span event when no span is active, but still counts', async () => {
    const t = await start({ service: { name: 'errors-test-2' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    const before = trackedValue(await t.collect(), 'validation')?.value ?? 0;
    t.errors.track(Object.assign(new Error('bad'), { status: 422 }));
    const after = trackedValue(await t.collect(), 'validation')?.value ?? 0;
    assert.equal(after - before, 1);
  });

  it('applies errors.maxGroups and errors.samplesPerGroup from the configuration', async () => {
    const t = await start({ service: { name: 'errors-test-3' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      errors: { maxGroups: 2, samplesPerGroup: 1 } });
    for (const fp of ['a', 'a', 'b', 'c']) t.errors.track(new Error(fp), { fingerprint: fp });
    assert.equal(t.errors.get('a'), undefined);
    assert.equal(t.errors.get('b')?.samples.length, 1);
    assert.equal(t.errors.stats().evictions, 1);
    assert.equal(t.crashReporter, undefined);
  });

  it('classifies with errors.rules from the configuration before the built-in table', async () => {
    const t = await start({ service: { name: 'errors-test-4' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      errors: { rules: [{ class: 'rate_limit', codes: ['QUOTA_EXCEEDED'] }, { class: 'auth', messages: /^license expired/ }] } });
    assert.equal(t.errors.track(Object.assign(new Error('quota'), { code: 'QUOTA_EXCEEDED' }))?.errorClass, 'rate_limit');
    assert.equal(t.errors.track(new Error('license expired yesterday'))?.errorClass, 'auth');
    assert.equal(t.errors.track(Object.assign(new Error('x'), { code: 'ECONNRESET' }))?.errorClass, 'network');
  });

  it('rejects an unknown class in errors.rules at start(), by path', async () => {
    await assert.rejects(start({ service: { name: 'errors-test-5' }, errors: { rules: [{ class: 'nope' as never }] } }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.ok(err.problems.some((p) => p.path === 'errors.rules.0.class'), JSON.stringify(err.problems));
      return true;
    });
  });
});
