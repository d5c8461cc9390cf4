import type { MetricProducer, CollectionResult } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import { PULSEGUARD_SCOPE } from '../semconv';
import type { HotMetricRegistry } from './hot-metrics';
import { VERSION } from '../version';

/**
 * A MetricProducer that hands a {@link HotMetricRegistry} to a MetricReader. Readers merge the
 * producer's scope metrics with the SDK's own, so /metrics and OTLP see one stream.
 */
export function createHotMetricProducer(registry: HotMetricRegistry, resource: Resource): MetricProducer {
  return {
    async collect(): Promise<CollectionResult> {
      return {
        resourceMetrics: {
          resource,
          scopeMetrics: [{ scope: { name: PULSEGUARD_SCOPE, version: VERSION }, metrics: registry.collectMetricData() }],
        },
        errors: [],
      };
    },
  };
}
