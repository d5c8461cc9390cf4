import { MetricReader, type MetricProducer, AggregationType } from '@opentelemetry/sdk-metrics';

/**
 * The reader behind pulseguard's /metrics: pull-only, cumulative, with a configurable cardinality
 * limit per instrument (the SDK's default silently caps at 2,000 series).
 */
export class PullMetricReader extends MetricReader {
  constructor(opts: { metricProducers: MetricProducer[]; cardinalityLimit: number }) {
    super({
      metricProducers: opts.metricProducers,
      cardinalitySelector: () => opts.cardinalityLimit,
      aggregationSelector: () => ({ type: AggregationType.DEFAULT }),
    });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
