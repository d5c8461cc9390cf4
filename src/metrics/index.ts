export {
  HotMetricRegistry,
  HotCounterFamily,
  HotGaugeFamily,
  HotHistogramFamily,
  HotSum,
  HotGaugeSeries,
  HotHistogramSeries,
  DEFAULT_CARDINALITY_LIMIT,
} from './hot-metrics';
export type { HotMetricDescriptor, ObservedValue } from './hot-metrics';
export { pulseguardMetrics } from './registry';
export { createHotMetricProducer } from './hot-metric-producer';
export type { HotMetricProducerOptions } from './hot-metric-producer';
export { KNOWN_METRICS } from './known-metrics';
export type { KnownMetric, MetricKind } from './types';
