import { MetricReader, type MetricReaderOptions } from '@opentelemetry/sdk-metrics';

/**
 * The one reader on pulseguard's own MeterProvider. pulseguard's readers (/metrics, evaluator,
 * OTLP) are bound to a MetricStream that reads through this one, so they can also read an app's
 * SDK that registers later. Flushing or shutting the provider down reaches them through here, as
 * if they were on the provider (crash flush, shutdown).
 * @internal
 */
export class OwnMetricReader extends MetricReader {
  constructor(private readonly downstream: () => readonly MetricReader[], options?: MetricReaderOptions) {
    super(options);
  }
  protected override async onForceFlush(): Promise<void> {
    await Promise.all(this.downstream().map((r) => r.forceFlush()));
  }
  protected override async onShutdown(): Promise<void> {
    await Promise.all(this.downstream().map((r) => r.shutdown()));
  }
}
