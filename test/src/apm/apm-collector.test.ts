import { strict as assert } from 'node:assert';
import { context, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, type HistogramMetricData, type SumMetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InspectionReader } from '../../../src/metrics/inspection-reader';
import { createApmCollector, DURATION_BUCKETS_SECONDS, type ApmCollector } from '../../../src/apm/index';
import { createErrorTracker, type ErrorTracker } from '../../../src/errors/index';

interface Rig {
  apm: ApmCollector;
  reader: InspectionReader;
  spans: InMemorySpanExporter;
  errors: ErrorTracker;
  warnings: string[];
  tick(ms: number): void;
}

function rig(maxNames?: number): Rig {
  const reader = new InspectionReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const errors = createErrorTracker();
  const warnings: string[] = [];
  let t = 1000;
  const apm = createApmCollector({
    meter: meterProvider.getMeter('pulseguard'),
    tracer: tracerProvider.getTracer('pulseguard'),
    errors,
    maxNames,
    logger: { warn: (_obj, msg) => void warnings.push(msg) },
    now: () => t,
  });
  return { apm, reader, spans, errors, warnings, tick: (ms) => void (t += ms) };
}

async function metric(reader: InspectionReader, name: string): Promise<HistogramMetricData | SumMetricData | undefined> {
  const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect();
  for (const sm of resourceMetrics.scopeMetrics) {
    const m = sm.metrics.find((x) => x.descriptor.name === name);
    if (m) return m as HistogramMetricData | SumMetricData;
  }
  return undefined;
}

function point<T extends { attributes: Attributes }>(points: T[], attrs: Attributes): T | undefined {
  return points.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
}

describe('ApmCollector', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  before(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  after(() => {
    context.disable();
  });

  describe('#trackTransaction', () => {
    it('records a span and app.transaction.duration in seconds with transaction.name and outcome', async () => {
      const r = rig();
      const tx = r.apm.trackTransaction('checkout');
      r.tick(250);
      tx.end();
      tx.end('failure'); // ignored: already ended
      const m = (await metric(r.reader, 'app.transaction.duration')) as HistogramMetricData;
      assert.equal(m.descriptor.unit, 's');
      assert.equal(m.dataPoints.length, 1);
      const p = point(m.dataPoints, { 'transaction.name': 'checkout', outcome: 'success' });
      assert.equal(p?.value.count, 1);
      assert.equal(p?.value.sum, 0.25);
      assert.deepEqual(p?.value.buckets.boundaries, DURATION_BUCKETS_SECONDS);
      const [span] = r.spans.getFinishedSpans();
      assert.equal(span.name, 'checkout');
      assert.equal(span.attributes['outcome'], 'success');
      assert.equal(tx.ended, true);
    });

    it('fail(err) records outcome failure, sets the span status, and tracks the error on the span', async () => {
      const r = rig();
      const tx = r.apm.trackTransaction('login');
      r.tick(10);
      tx.fail(Object.assign(new Error('token abc expired'), { status: 401 }));
      const m = (await metric(r.reader, 'app.transaction.duration')) as HistogramMetricData;
      assert.equal(point(m.dataPoints, { 'transaction.name': 'login', outcome: 'failure' })?.value.count, 1);
      const [span] = r.spans.getFinishedSpans();
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.events[0]?.name, 'exception');
      assert.equal(span.events[0]?.attributes?.['error.class'], 'auth');
      assert.equal(r.errors.groups({ class: 'auth' }).length, 1);
    });

    it('run(fn) makes the transaction span the parent of spans started inside', () => {
      const r = rig();
      const tx = r.apm.trackTransaction('job');
      tx.run(() => r.apm.measureLatency('step', () => 1));
      tx.end();
      const spans = r.spans.getFinishedSpans();
      const step = spans.find((s) => s.name === 'step');
      const job = spans.find((s) => s.name === 'job');
      assert.equal(step?.parentSpanContext?.spanId, job?.spanContext().spanId);
    });

    it('folds names beyond maxNames into _other and warns once', async () => {
      const r = rig(2);
      for (const name of ['a', 'b', 'c', 'd', 'a']) r.apm.trackTransaction(name).end();
      const m = (await metric(r.reader, 'app.transaction.duration')) as HistogramMetricData;
      const names = m.dataPoints.map((p) => p.attributes['transaction.name']).sort();
      assert.deepEqual(names, ['_other', 'a', 'b']);
      assert.equal(point(m.dataPoints, { 'transaction.name': '_other' })?.value.count, 2);
      assert.equal(r.warnings.length, 1);
    });
  });

  describe('#measureLatency', () => {
    it('measures a sync function and returns its value', async () => {
      const r = rig();
      const v = r.apm.measureLatency('parse', () => {
        r.tick(40);
        return 7;
      });
      assert.equal(v, 7);
      const m = (await metric(r.reader, 'app.operation.duration')) as HistogramMetricData;
      assert.equal(m.descriptor.unit, 's');
      assert.equal(point(m.dataPoints, { 'operation.name': 'parse', outcome: 'success' })?.value.sum, 0.04);
    });

    it('measures an async function until it settles', async () => {
      const r = rig();
      const v = await r.apm.measureLatency('fetch-user', async () => {
        await Promise.resolve();
        r.tick(120);
        return 'ok';
      });
      assert.equal(v, 'ok');
      const m = (await metric(r.reader, 'app.operation.duration')) as HistogramMetricData;
      assert.equal(point(m.dataPoints, { 'operation.name': 'fetch-user', outcome: 'success' })?.value.sum, 0.12);
      assert.equal(r.spans.getFinishedSpans()[0]?.name, 'fetch-user');
    });

    it('passes a sync throw and an async rejection through unchanged, recording failure', async () => {
      const r = rig();
      const boom = new Error('sync boom');
      assert.throws(() => r.apm.measureLatency('s', () => { throw boom; }), (e: unknown) => e === boom);
      const rejection = new Error('async boom');
      await assert.rejects(r.apm.measureLatency('a', async () => { throw rejection; }), (e: unknown) => e === rejection);
      const m = (await metric(r.reader, 'app.operation.duration')) as HistogramMetricData;
      assert.equal(point(m.dataPoints, { 'operation.name': 's', outcome: 'failure' })?.value.count, 1);
      assert.equal(point(m.dataPoints, { 'operation.name': 'a', outcome: 'failure' })?.value.count, 1);
      assert.ok(r.spans.getFinishedSpans().every((s) => s.status.code === SpanStatusCode.ERROR));
    });
  });

  describe('#recordDependencyCall', () => {
    it('records app.dependency.duration and app.dependency.calls by peer.service and outcome', async () => {
      const r = rig();
      r.apm.recordDependencyCall('billing-api', { durationMs: 80 });
      r.apm.recordDependencyCall('billing-api', { durationMs: 20, ok: false });
      r.apm.recordDependencyCall('billing-api', { durationMs: 20 });
      const d = (await metric(r.reader, 'app.dependency.duration')) as HistogramMetricData;
      assert.equal(d.descriptor.unit, 's');
      assert.equal(point(d.dataPoints, { 'peer.service': 'billing-api', outcome: 'success' })?.value.sum, 0.1);
      const c = (await metric(r.reader, 'app.dependency.calls')) as SumMetricData;
      assert.equal(point(c.dataPoints, { 'peer.service': 'billing-api', outcome: 'success' })?.value, 2);
      assert.equal(point(c.dataPoints, { 'peer.service': 'billing-api', outcome: 'failure' })?.value, 1);
    });

    it('counts a call with a bad duration, drops the duration and warns, never throws', async () => {
      const r = rig();
      r.apm.recordDependencyCall('redis', { durationMs: Number.NaN });
      r.apm.recordDependencyCall('redis', null as never);
      const c = (await metric(r.reader, 'app.dependency.calls')) as SumMetricData;
      assert.equal(point(c.dataPoints, { 'peer.service': 'redis' })?.value, 2);
      const d = await metric(r.reader, 'app.dependency.duration');
      assert.equal(d, undefined);
      assert.equal(r.warnings.length, 2);
    });
  });
});
