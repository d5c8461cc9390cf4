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
