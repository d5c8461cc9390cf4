import { strict as assert } from 'node:assert';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createErrorTracker, SpanTrail } from '../../src/errors/index';
import { createLogger } from '../../src/logging/index';
import { start } from '../../src/index';
import { LogCapture } from '../helpers/log-capture';

const SESSION = `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`;

describe('regression: error samples (issue 21, item 8)', () => {
  it('keeps the first and the latest occurrences, not the first 5 forever', () => {
    let t = Date.parse('2026-12-01T00:00:00Z');
    const tracker = createErrorTracker({ samplesPerGroup: 3, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 1000;
      tracker.track(new Error('payment failed'), { fingerprint: 'pay', context: { attempt: i } });
    }
    const samples = tracker.get('pay')?.samples ?? [];
    assert.deepEqual(samples.map((s) => s.context?.attempt), [0, 8, 9]);
    assert.equal(samples[2].at.toISOString(), '2026-12-01T00:00:10.000Z');
  });

  it('stamps release and environment and carries a bounded, redacted trail of log lines and span names', () => {
    const tracker = createErrorTracker({ release: '2.3.1', environment: 'production', maxBreadcrumbs: 3 });
    const log = createLogger({ destination: new LogCapture(), onLine: (level, message) => tracker.addBreadcrumb('log', message, level) });
    const tracer = new BasicTracerProvider({ spanProcessors: [new SpanTrail((name) => tracker.addBreadcrumb('span', name), { trackOpenSpans: false })] }).getTracer('t');
    log.info('cache warmed');
    log.info(`user +14155552671 logged in with ${SESSION}`);
    tracer.startSpan('GET /users/jane.doe@example.com').end();
    log.warn('retrying charge');
    tracker.track(new Error('charge failed'), { fingerprint: 'charge' });
    const [sample] = tracker.get('charge')?.samples ?? [];
    assert.ok(sample);
    assert.equal(sample.release, '2.3.1');
    assert.equal(sample.environment, 'production');
    assert.deepEqual(sample.breadcrumbs?.map((b) => `${b.category}:${b.level ?? ''}:${b.message}`), [
      'log:info:user [REDACTED] logged in with [REDACTED]',
      'span::GET /users/[REDACTED]',
      'log:warn:retrying charge',
    ]);
  });

  it('start() wires service.version, service.environment and span starts into samples', async () => {
    const t = await start({ service: { name: 'samples-test', version: '9.9.9', environment: 'staging' }, exporters: { prometheus: { enabled: false } },
      logging: { level: 'silent' } });
    try {
      trace.getTracer('app').startSpan('before the failure').end();
      t.errors.track(new Error('boom'), { fingerprint: 'boom' });
      const [sample] = t.errors.get('boom')?.samples ?? [];
      assert.equal(sample?.release, '9.9.9');
      assert.equal(sample?.environment, 'staging');
      assert.ok(sample?.breadcrumbs?.some((b) => b.message === 'before the failure'), JSON.stringify(sample?.breadcrumbs));
    } finally {
      await t.shutdown();
    }
  });
});
