import { NodeSDK } from '@opentelemetry/sdk-node';
import { metrics, trace, context, propagation } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveConfig } from '../config/validate';
import type { PulseguardConfigInput } from '../config/types';
import { createLogger } from '../logging/logger';
import { setInternalErrorLogger } from '../internal/internal-errors';
import { withTimeout } from '../internal/safe-call';
import { pulseguardMetrics } from '../metrics/registry';
import { createHotMetricProducer } from '../metrics/hot-metric-producer';
import { createServiceResource } from './resource';
import { startPrometheus, createSpanProcessors, createOtlpMetricReader, type PrometheusEndpoint } from './exporters';
import { InspectionReader } from './inspection-reader';
import { componentFactories } from './components';
import type { Component } from './types';
import type { Telemetry } from './telemetry';
import { installSignalHandlers } from './signals';
import { createTelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';

// One SDK per process, also across copies of this module (register + the app's own import).
const ACTIVE = Symbol.for('pulseguard.telemetry');
type GlobalWithTelemetry = typeof globalThis & { [ACTIVE]?: Telemetry };

/** The running telemetry, if start() was called (for example by `pulseguard/register`). */
export function getTelemetry(): Telemetry | undefined {
  return (globalThis as GlobalWithTelemetry)[ACTIVE];
}

/**
 * Validates the configuration (throwing a ConfigError that lists every problem), builds one
 * NodeSDK with the Prometheus exporter, OTLP export when enabled, the http and runtime
 * instrumentations and pulseguard's own components, and starts it.
 */
export async function start(input: PulseguardConfigInput): Promise<Telemetry> {
  const existing = getTelemetry();
  if (existing) {
    existing.logger.warn('pulseguard start() called again; returning the running instance');
    return existing;
  }
  const config = resolveConfig(input);
  const logger = createLogger({
    level: config.logging.level,
    redactPaths: config.logging.redactPaths,
    base: { service: config.service.name, instance: config.service.instanceId },
  }).child({ component: 'pulseguard' });
  setInternalErrorLogger(logger);
  pulseguardMetrics.onObserverError = (name, err) => logger.warn({ metric: name, err }, 'metric callback failed');

  const resource = createServiceResource(config.service);
  const producers = [createHotMetricProducer(pulseguardMetrics, resource)];
  const ctx = { config, logger, resource };
  const components: Component[] = [];
  for (const factory of componentFactories) {
    const c = factory(ctx);
    if (c) components.push(c);
  }

  let prometheus: PrometheusEndpoint | undefined;
  if (config.exporters.prometheus.enabled) prometheus = await startPrometheus(config.exporters.prometheus, producers);
  const inspection = prometheus ? undefined : new InspectionReader({ metricProducers: producers });
  const readers: MetricReader[] = [];
  if (prometheus) readers.push(prometheus.exporter);
  if (inspection) readers.push(inspection);
  const otlpReader = createOtlpMetricReader(config.exporters.otlp, producers);
  if (otlpReader) readers.push(otlpReader);
  for (const c of components) readers.push(...(c.readers?.(producers) ?? []));

  const instrumentations: Instrumentation[] = [];
  if (config.instrumentations.http.enabled) instrumentations.push(new HttpInstrumentation());
  if (config.instrumentations.runtime.enabled) {
    instrumentations.push(new RuntimeNodeInstrumentation({ monitoringPrecision: config.instrumentations.runtime.monitoringPrecisionMs }));
  }
  for (const c of components) instrumentations.push(...(c.instrumentations?.() ?? []));
  const tg = config.instrumentations.telegram;
  const telegram = tg.enabled
    ? createTelegramTelemetry({ ...tg, thresholds: config.thresholds.telegram, backoff: config.recovery.backoff }, logger)
    : undefined;
  if (telegram) instrumentations.push(telegram.instrumentation);

  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    metricReaders: readers,
    spanProcessors: createSpanProcessors(config.exporters.otlp),
    // An empty list, so NodeSDK does not default to an OTLP log exporter aimed at localhost.
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  for (const c of components) await c.start?.();

  let shuttingDown: Promise<void> | undefined;
  let removeSignalHandlers = (): void => {};
  const mainReader = prometheus?.exporter ?? inspection;
  const telemetry: Telemetry = {
    config,
    logger,
    metricsUrl: prometheus?.url,
    telegram,
    async collect(): Promise<ResourceMetrics> {
      const reader = mainReader ?? otlpReader;
      if (!reader) throw new Error('no metric reader is configured');
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics;
    },
    shutdown() {
      shuttingDown ??= (async () => {
        removeSignalHandlers();
        telegram?.close();
        for (const c of [...components].reverse()) {
          try {
            await withTimeout(Promise.resolve(c.shutdown?.()), config.shutdown.flushTimeoutMs, `${c.name} shutdown`);
          } catch (err) {
            logger.warn({ err, componentName: c.name }, 'component did not shut down cleanly');
          }
        }
        try {
          await withTimeout(sdk.shutdown(), config.shutdown.flushTimeoutMs, 'OpenTelemetry SDK shutdown');
        } catch (err) {
          logger.warn({ err }, 'OpenTelemetry SDK did not shut down cleanly');
        }
        // NodeSDK leaves the API globals registered; release them so a later start() in the
        // same process (tests, a restart after reconfiguration) can register its own.
        metrics.disable();
        trace.disable();
        context.disable();
        propagation.disable();
        if ((globalThis as GlobalWithTelemetry)[ACTIVE] === telemetry) delete (globalThis as GlobalWithTelemetry)[ACTIVE];
        setInternalErrorLogger(undefined);
      })();
      return shuttingDown;
    },
  };
  (globalThis as GlobalWithTelemetry)[ACTIVE] = telemetry;
  if (config.shutdown.handleSignals) removeSignalHandlers = installSignalHandlers(() => telemetry.shutdown(), logger);
  logger.info({ metricsUrl: prometheus?.url, otlp: config.exporters.otlp.enabled ? config.exporters.otlp.endpoint : undefined }, 'pulseguard started');
  return telemetry;
}
