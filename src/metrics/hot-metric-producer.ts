import type { MetricProducer, CollectionResult } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import { PULSEGUARD_SCOPE } from '../semconv';
import type { HotMetricRegistry } from './hot-metrics';
import { VERSION } from '../version';

/** Options of {@link createHotMetricProducer}. */
export interface HotMetricProducerOptions {
  /**
   * Names to leave out at collect time: metrics an SDK the app runs already records (its
   * instrumentation-pg writes db.client.*), so no sum() counts them twice.
   */
  exclude?: () => ReadonlySet<string>;
}

/**
 * A MetricProducer that hands a {@link HotMetricRegistry} to a MetricReader. Readers merge the
 * producer's scope metrics with the SDK's own, so /metrics and OTLP see one stream.
 */
export function createHotMetricProducer(registry: HotMetricRegistry, resource: Resource, options: HotMetricProducerOptions = {}): MetricProducer {
  return {
    async collect(): Promise<CollectionResult> {
      const excluded = options.exclude?.();
      const all = registry.collectMetricData();
      const metrics = excluded && excluded.size > 0 ? all.filter((m) => !excluded.has(m.descriptor.name)) : all;
      return {
        resourceMetrics: {
          resource,
          scopeMetrics: [{ scope: { name: PULSEGUARD_SCOPE, version: VERSION }, metrics }],
        },
        errors: [],
      };
    },
  };
}
