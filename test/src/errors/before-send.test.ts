import { strict as assert } from 'node:assert';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createErrorTracker, type ErrorEvent, type ErrorTrackerOptions } from '../../../src/errors/index';
import { resolveConfig } from '../../../src/config/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

/** Tracks `err` inside a recording span; returns the exception events that span got. */
function trackInSpan(options: ErrorTrackerOptions, err: unknown) {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');
  const tracker = createErrorTracker(options);
  const span = tracer.startSpan('op');
  const group = context.with(trace.setSpan(context.active(), span), () => tracker.track(err));
  span.end();
  return { tracker, group, events: exporter.getFinishedSpans()[0].events };
}

describe('ErrorTracker', () => {
  describe('beforeSend (errors.beforeSend)', () => {
    const cm = new AsyncLocalStorageContextManager();
    before(() => {
      context.setGlobalContextManager(cm.enable());
      setInternalErrorLogger({ warn: () => {} });
    });
    after(() => {
      context.disable();
      setInternalErrorLogger(undefined);
    });

    it('gets the redacted event and the original error; what it returns is stored and put on the span', () => {
      const err = new Error('payment for jane.doe@example.com failed, order 7');
      const seen: Array<{ event: ErrorEvent; original: unknown }> = [];
      const { tracker, group, events } = trackInSpan({
        beforeSend: (event, hint) => {
          seen.push({ event, original: hint.originalError });
          return { ...event, message: event.message.replace(/order \d+/, 'order <scrubbed>'), context: { tenant: 'acme' } };
        },
      }, err);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].event.message, 'payment for [REDACTED] failed, order 7');
      assert.equal(seen[0].original, err);
      assert.equal(seen[0].event.newGroup, true);
      assert.ok(group);
      const sample = tracker.get(group.fingerprint)?.samples[0];
      assert.equal(sample?.message, 'payment for [REDACTED] failed, order <scrubbed>');
      assert.deepEqual(sample?.context, { tenant: 'acme' });
      assert.equal(events[0].attributes?.['exception.message'], 'payment for [REDACTED] failed, order <scrubbed>');
    });

    it('drops the event on null: no sample, no span event, no new-group callback; the error is still counted', () => {
      const newGroups: ErrorEvent[] = [];
      const { tracker, group, events } = trackInSpan({ beforeSend: () => null, onNewGroup: (e) => void newGroups.push(e) }, new Error('noise'));
      assert.ok(group);
      assert.equal(group.count, 1);
      assert.deepEqual(tracker.get(group.fingerprint)?.samples, []);
      assert.deepEqual(events, []);
      assert.deepEqual(newGroups, []);
      assert.equal(tracker.stats().tracked, 1);
    });

    it('ignores a throwing hook (the redacted event is kept) and counts it in pulseguard.internal.errors', () => {
      const before = internalErrorCount('errors.beforeSend');
      const { tracker, group, events } = trackInSpan({
        beforeSend: () => {
          throw new Error('hook bug');
        },
      }, new Error('call +14155552671 failed'));
      assert.ok(group);
      assert.equal(tracker.get(group.fingerprint)?.samples[0].message, 'call [REDACTED] failed');
      assert.equal(events.length, 1);
      assert.equal(internalErrorCount('errors.beforeSend'), before + 1);
    });

    it('is taken from the configuration; a value that is not a function fails at start, by path', () => {
      const hook = (e: ErrorEvent): ErrorEvent => e;
      assert.equal(resolveConfig({ service: { name: 't' }, errors: { beforeSend: hook } }).errors.beforeSend, hook);
      assert.throws(() => resolveConfig({ service: { name: 't' }, errors: { beforeSend: 42 as never } }), /errors\.beforeSend/);
    });
  });
});
