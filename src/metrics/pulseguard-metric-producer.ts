import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { createHotMetricProducer } from './hot-metric-producer';
import { pulseguardMetrics } from './registry';

/**
 * The producer to add to your own SDK's metric reader when you register pulseguard's ws, telegram
 * or pg instrumentations yourself (without start()): it delivers all of their metrics, histograms
 * included, at collect time. Without it, their sums and gauges still arrive through observable
 * instruments on the meter the instrumentations are given, and their histograms do not.
 *
 * ```ts
 * new PeriodicExportingMetricReader({ exporter, metricProducers: [createPulseguardMetricProducer()] })
 * ```
 */
export function createPulseguardMetricProducer(resource: Resource = resourceFromAttributes({})): MetricProducer {
  pulseguardMetrics.deliveredByProducer = true;
  return createHotMetricProducer(pulseguardMetrics, resource);
}
