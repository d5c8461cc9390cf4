import { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A pull reader with no exporter: used by `telemetry.collect()` when Prometheus is off, and by
 * tests. Collecting does not export anything.
 * @internal
 */
export class InspectionReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
