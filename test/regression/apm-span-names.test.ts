import { strict as assert } from 'node:assert';
import { MeterProvider, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InspectionReader } from '../../src/metrics/inspection-reader';
import { createApmCollector } from '../../src/apm/index';

describe('regression: APM span names beyond the name bound (issue 21, item 9)', () => {
  it('a span started after 200 names keeps its name; only the metric attribute becomes _other', async () => {
    const reader = new InspectionReader();
    const spans = new InMemorySpanExporter();
    const apm = createApmCollector({
      meter: new MeterProvider({ readers: [reader] }).getMeter('pulseguard'),
      tracer: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('pulseguard'),
      logger: { warn: () => {} },
    });
    for (let i = 0; i < 200; i++) apm.trackTransaction(`GET /page/${i}`).end();
    const tx = apm.trackTransaction('POST /checkout');
    assert.equal(tx.name, 'POST /checkout');
    tx.end();
    apm.measureLatency('render invoice', () => 1);

    const names = spans.getFinishedSpans().map((s) => s.name);
    assert.ok(names.includes('POST /checkout'), 'the transaction span was renamed');
    assert.ok(names.includes('render invoice'));
    assert.ok(!names.includes('_other'));

    const { resourceMetrics } = await reader.collect();
    const m = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((x) => x.descriptor.name === 'app.transaction.duration') as HistogramMetricData;
    const values = new Set(m.dataPoints.map((p) => p.attributes['transaction.name']));
    assert.equal(values.size, 201, 'the metric keeps 200 names plus _other');
    assert.ok(values.has('_other') && !values.has('POST /checkout'));
  });
});
