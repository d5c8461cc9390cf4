import type { PulseguardConfig } from '../../config/types';
import { MetricsEndpoint } from '../../../exporters/prometheus/metrics-endpoint';
import { defineArea } from '../area';
import { createOtlpMetricReader } from '../exporters';
import { InspectionReader } from '../../metrics/inspection-reader';

/**
 * The metric exporters: the Prometheus endpoint (its own port, or a handler to mount), OTLP
 * metric export when enabled, and an inspection reader for telemetry.collect() when Prometheus
 * is off. Their readers carry the hot-metric producer, so each sees the whole stream.
 */
export const exportersArea = defineArea({
  name: 'exporters',
  logName: 'metrics',
  settings: (c: PulseguardConfig) => c.exporters,
  create(ctx) {
    const prom = ctx.config.prometheus;
    ctx.metrics.cardinalityLimit = prom.cardinalityLimit;
    const producers = [...ctx.producers];
    const prometheus = prom.enabled ? new MetricsEndpoint({ ...prom, producers, logger: ctx.logger }) : undefined;
    const inspection = prometheus ? undefined : new InspectionReader({ metricProducers: producers });
    const otlp = createOtlpMetricReader(ctx.config.otlp, producers);
    for (const reader of [prometheus?.reader, inspection, otlp]) if (reader) ctx.addMetricReader(reader);
    return {
      handle: {
        get metricsUrl() {
          return prometheus?.url;
        },
        metricsHandler: prometheus?.handler,
        mainReader: prometheus?.reader ?? inspection ?? otlp,
      },
      async start() {
        if (prometheus && prom.standalone) await prometheus.listen();
      },
      stop: () => prometheus?.close(),
    };
  },
});
