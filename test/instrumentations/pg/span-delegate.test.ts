import { strict as assert } from 'node:assert';
import { ROOT_CONTEXT, trace, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createSampledTracerProvider } from '../../../instrumentations/pg/span-delegate';

describe('createSampledTracerProvider()', () => {
  function setup(ratio: number, random: () => number): { tracer: Tracer; exporter: InMemorySpanExporter; provider: TracerProvider } {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = createSampledTracerProvider(provider, ratio, random).getTracer('t');
    return { tracer, exporter, provider };
  }

  it('records every span at ratio 1', () => {
    const { tracer, exporter } = setup(1, () => 0.99);
    for (let i = 0; i < 5; i++) tracer.startSpan('q').end();
    assert.equal(exporter.getFinishedSpans().length, 5);
  });

  it('records the sampled share and returns non-recording spans that keep the parent context otherwise', () => {
    const values = [0.1, 0.9, 0.2, 0.8];
    let i = 0;
    const { tracer, exporter } = setup(0.5, () => values[i++ % values.length]);
    const parent = tracer.startSpan('parent'); // 0.1: sampled
    const ctx = trace.setSpan(ROOT_CONTEXT, parent);
    const spans: Span[] = [];
    for (let k = 0; k < 3; k++) spans.push(tracer.startSpan('q', {}, ctx));
    const dropped = spans.filter((s) => !s.isRecording());
    spans.forEach((s) => s.end());
    parent.end();
    assert.equal(exporter.getFinishedSpans().length, 2); // parent + one of three
    assert.equal(dropped.length, 2);
    for (const s of dropped) assert.equal(s.spanContext().traceId, parent.spanContext().traceId);
  });

  it('records nothing at ratio 0', () => {
    const { tracer, exporter } = setup(0, () => 0);
    tracer.startActiveSpan('q', (s) => s.end());
    assert.equal(exporter.getFinishedSpans().length, 0);
  });
});
