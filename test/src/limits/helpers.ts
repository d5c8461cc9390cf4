import { DataPointType, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { rateLimitsSchema } from '../../../src/config/schema/rate-limits';
import type { PulseguardConfig } from '../../../src/config/types';
import type { HotMetricRegistry } from '../../../src/metrics/hot-metrics';

/** A `rateLimits` section with defaults, as resolveConfig would produce it. */
export function rateLimitsConfig(input: Record<string, unknown> = {}): PulseguardConfig['rateLimits'] {
  return rateLimitsSchema().parse(input);
}

/** Finds a metric by name in a registry's collection. */
export function metric(reg: HotMetricRegistry, name: string): MetricData | undefined {
  return reg.collectMetricData().find((m) => m.descriptor.name === name);
}

/** The value of the data point of `name` whose attributes include `attrs` (sum/gauge). */
export function pointValue(reg: HotMetricRegistry, name: string, attrs: Record<string, string>): number | undefined {
  const m = metric(reg, name);
  if (!m || m.dataPointType === DataPointType.HISTOGRAM) return undefined;
  const p = m.dataPoints.find((dp) => Object.entries(attrs).every(([k, v]) => dp.attributes[k] === v));
  return p?.value as number | undefined;
}

/** The histogram point of `name` whose attributes include `attrs`. */
export function histogramPoint(reg: HotMetricRegistry, name: string, attrs: Record<string, string>) {
  const m = metric(reg, name) as HistogramMetricData | undefined;
  return m?.dataPoints.find((dp) => Object.entries(attrs).every(([k, v]) => dp.attributes[k] === v));
}
