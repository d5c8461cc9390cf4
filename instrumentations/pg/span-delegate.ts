import {
  context, createNoopMeter, trace, INVALID_SPAN_CONTEXT,
  type Context, type MeterProvider, type Span, type SpanOptions, type Tracer, type TracerProvider,
} from '@opentelemetry/api';
import { PgInstrumentation, type PgInstrumentationConfig as UpstreamPgConfig } from '@opentelemetry/instrumentation-pg';

/** A meter provider whose instruments do nothing. */
const NOOP_METER_PROVIDER: MeterProvider = { getMeter: () => createNoopMeter() };

/**
 * A tracer that starts a real span for a `ratio` share of calls and a non-recording one (carrying
 * the parent's context, so nothing downstream breaks) for the rest.
 */
class SampledTracer implements Tracer {
  constructor(private readonly delegate: Tracer, private readonly ratio: number, private readonly random: () => number) {}
  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
    if (this.ratio >= 1 || this.random() < this.ratio) return this.delegate.startSpan(name, options, ctx);
    return trace.wrapSpanContext(trace.getSpanContext(ctx ?? context.active()) ?? INVALID_SPAN_CONTEXT);
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = (rest.length > 1 ? rest[0] : undefined) as SpanOptions | undefined;
    const ctx = (rest.length > 2 ? rest[1] : undefined) as Context | undefined;
    const parent = ctx ?? context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), fn as (s: Span) => ReturnType<F>, undefined, span);
  }
}

/** Wraps a tracer provider so every tracer it hands out samples at `ratio`. */
export function createSampledTracerProvider(delegate: TracerProvider, ratio: number, random: () => number = Math.random): TracerProvider {
  return { getTracer: (name, version, options) => new SampledTracer(delegate.getTracer(name, version, options), ratio, random) };
}

/** Options of the span delegate. */
export interface PgSpanDelegateConfig extends UpstreamPgConfig {
  /** Fraction of queries that get a span. @default 1 */
  spanSampleRatio?: number;
}

/**
 * Spans for pg, made by @opentelemetry/instrumentation-pg 0.76.0 so they keep its exact shape,
 * with two changes: a per-query sample ratio, and no metrics. Its metrics are turned off by
 * handing it a no-op meter provider whatever provider it is given (the NodeSDK hands it the real
 * one), because pulseguard already records the same db.client.* series; with both, every query
 * would be counted twice under the same names.
 */
export class PgSpanDelegate extends PgInstrumentation {
  declare private sampleRatio: number;

  constructor(config: PgSpanDelegateConfig = {}) {
    const { spanSampleRatio, ...upstream } = config;
    super(upstream);
    this.sampleRatio = spanSampleRatio ?? 1;
    super.setMeterProvider(NOOP_METER_PROVIDER);
    this.setTracerProvider(trace.getTracerProvider());
  }

  override setMeterProvider(_meterProvider: MeterProvider): void {
    super.setMeterProvider(NOOP_METER_PROVIDER);
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    // Called by the base constructor before sampleRatio is set: default to 1 then.
    super.setTracerProvider(createSampledTracerProvider(tracerProvider, this.sampleRatio ?? 1));
  }
}
