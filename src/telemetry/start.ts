import { NodeSDK } from '@opentelemetry/sdk-node';
import { metrics, trace, context, propagation } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveConfig } from '../config/validate';
import type { PulseguardConfigInput } from '../config/types';
import { createLogger } from '../logging/logger';
import { setInternalErrorLogger } from '../internal/internal-errors';
import { safeCall, safeCallAsync, withTimeout } from '../internal/safe-call';
import { pulseguardMetrics } from '../metrics/registry';
import { createHotMetricProducer } from '../metrics/hot-metric-producer';
import { createServiceResource } from './resource';
import { createSpanProcessors, createOtlpMetricReader } from './exporters';
import { MetricsEndpoint } from '../../exporters/prometheus/metrics-endpoint';
import { InspectionReader } from '../metrics/inspection-reader';
import type { Component } from './types';
import type { Telemetry } from './telemetry';
import { installSignalHandlers } from './signals';
import { AlertDispatcher } from '../alerting/alert-dispatcher';
import { createNotifiers } from '../alerting/notifiers/create-notifiers';
import { RecoveryRegistry } from '../recovery/recovery-registry';
import { routeAlerts } from './alert-routing';
import { createTelegramReconnectProcedure, createTelegramFailoverProcedure } from '../recovery/procedures/telegram-procedures';
import { registerComponentReports } from './component-reports';
import { createHealth } from '../health/create-health';
import { createErrorTracker } from '../errors/error-tracker';
import { createCrashReporter } from '../errors/crash-reporter';
import { notifyCrash } from '../errors/crash-alert';
import { createNewGroupAlerts } from '../errors/new-group-alerts';
import { SpanTrail } from '../errors/span-trail';
import { errorTrackerOptions } from '../errors/tracker-options';
import type { ErrorEvent } from '../errors/types';
import { flushGlobalTelemetry } from '../errors/flush-telemetry';
import { createApmCollector } from '../apm/apm-collector';
import { PULSEGUARD_SCOPE } from '../semconv';
import { createRateLimits } from '../limits/limiter-registry';
import { createPgComponent, createDbApi } from '../../instrumentations/pg/pg-component';
import { createWsInstrumentation, wsConfigFromPulseguard, type WsInstrumentation } from '../../instrumentations/ws/index';
import { IsolatedRuntimeNodeInstrumentation } from '../host-metrics/collection-isolation';
import { createEvaluatorArea, DISABLED_ALERTS } from '../evaluator/evaluator-area';
import { createTelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';
import { clearActiveTelemetry, getTelemetry, setActiveTelemetry } from './active-telemetry';

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
  // First, so log lines and span starts feed its breadcrumb trail; alerts bind once the dispatcher exists.
  let onNewGroup: ((e: ErrorEvent) => void) | undefined;
  const errors = createErrorTracker(errorTrackerOptions(config, (e) => onNewGroup?.(e)));
  // The root logger is the app's (telemetry.logger); each part of pulseguard logs through a child
  // with its own `component`, so no line carries the key twice.
  const rootLogger = createLogger({
    level: config.logging.level,
    redactPaths: config.logging.redactPaths,
    base: { service: config.service.name, instance: config.service.instanceId },
    onLine: (level, message) => errors.addBreadcrumb('log', message, level),
  });
  const logger = rootLogger.child({ component: 'pulseguard' });
  setInternalErrorLogger(logger);
  pulseguardMetrics.onObserverError = (name, err) => logger.warn({ metric: name, err }, 'metric callback failed');

  const resource = createServiceResource(config.service);
  const producers = [createHotMetricProducer(pulseguardMetrics, resource)];
  const ctx = { config, logger: rootLogger, resource };
  const components: Component[] = [];
  // The threshold evaluator (its own reader; typos in rules throw a ConfigError here).
  const evaluatorArea = config.rules.enabled ? createEvaluatorArea(config, rootLogger) : undefined;
  if (evaluatorArea) components.push(evaluatorArea.component);
  const pgComponent = createPgComponent(ctx);
  if (pgComponent) components.push(pgComponent);
  // Last in start order, so it closes first: the health server goes before what it reports on.
  const { health, component: healthComponent } = createHealth({
    config, logger: rootLogger.child({ component: 'health' }), finalShutdown: () => telemetry.shutdown(),
  });
  components.push(healthComponent);

  pulseguardMetrics.cardinalityLimit = config.exporters.prometheus.cardinalityLimit;
  const prom = config.exporters.prometheus;
  const prometheus = prom.enabled
    ? new MetricsEndpoint({ ...prom, producers, logger: rootLogger.child({ component: 'metrics' }) })
    : undefined;
  if (prometheus && prom.standalone) await prometheus.listen();
  const inspection = prometheus ? undefined : new InspectionReader({ metricProducers: producers });
  const readers: MetricReader[] = [];
  if (prometheus) readers.push(prometheus.reader);
  if (inspection) readers.push(inspection);
  const otlpReader = createOtlpMetricReader(config.exporters.otlp, producers);
  if (otlpReader) readers.push(otlpReader);
  for (const c of components) readers.push(...(c.readers?.(producers) ?? []));

  const instrumentations: Instrumentation[] = [];
  if (config.instrumentations.http.enabled) instrumentations.push(new HttpInstrumentation());
  if (config.instrumentations.runtime.enabled) {
    // Isolated: its event-loop callbacks reset per call; the evaluator's reader must not steal /metrics' windows.
    instrumentations.push(new IsolatedRuntimeNodeInstrumentation({ monitoringPrecision: config.instrumentations.runtime.monitoringPrecisionMs }));
  }
  // The one limiter: the ws guards decide through it too, so it exists before the instrumentations.
  const limits = createRateLimits({
    config: config.rateLimits,
    logger: rootLogger.child({ component: 'ratelimit' }),
    throttledRatio: config.thresholds.rateLimits.throttledRatio,
  });
  let ws: WsInstrumentation | undefined;
  if (config.instrumentations.ws.enabled) {
    ws = createWsInstrumentation(wsConfigFromPulseguard(config, limits));
    instrumentations.push(ws);
  }
  for (const c of components) instrumentations.push(...(c.instrumentations?.() ?? []));
  const tg = config.instrumentations.telegram;
  const telegram = tg.enabled
    ? createTelegramTelemetry({ ...tg, thresholds: config.thresholds.telegram, backoff: config.recovery.backoff, limits }, rootLogger)
    : undefined;
  if (telegram) instrumentations.push(telegram.instrumentation);

  const spanTrail = new SpanTrail((name) => errors.addBreadcrumb('span', name), { trackOpenSpans: config.errors.captureCrashes });
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    metricReaders: readers,
    spanProcessors: [spanTrail, ...createSpanProcessors(config.exporters.otlp)],
    // An empty list, so NodeSDK does not default to an OTLP log exporter aimed at localhost.
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  try {
    for (const c of components) await c.start?.();
  } catch (err) {
    // A component that cannot start (a health port in use...) fails start(); undo what already
    // runs so the process is left as it was, with nothing patched and no port held.
    await abortStart(components, instrumentations, sdk, prometheus);
    await safeCallAsync('start', () => limits.close());
    throw err;
  }
  // Bounded: until Redis answers, the insurance limiters do.
  await limits.ready(Math.min(2000, config.shutdown.flushTimeoutMs));

  const notifications = new AlertDispatcher({ config: config.alerting, logger: rootLogger.child({ component: 'alerting' }),
    notifiers: createNotifiers(config.alerting.channels, rootLogger.child({ component: 'alerts' })) });
  const recovery = new RecoveryRegistry(config.recovery, rootLogger.child({ component: 'recovery' }));
  if (telegram) {
    recovery.register('telegram.reconnect', createTelegramReconnectProcedure(telegram));
    recovery.register('telegram.failover', createTelegramFailoverProcedure(telegram));
  }
  registerComponentReports(health, { websocket: ws?.api(), telegram, limits, alerts: evaluatorArea?.alerts });
  const unrouteAlerts = evaluatorArea
    ? routeAlerts(evaluatorArea.alerts, notifications, recovery, config.recovery.enabled, rootLogger.child({ component: 'alerting' }))
    : () => {};
  // APM: its meter must come after sdk.start() (the metrics API has no proxy).
  const apm = createApmCollector({ meter: metrics.getMeter(PULSEGUARD_SCOPE), tracer: trace.getTracer(PULSEGUARD_SCOPE), errors, logger: rootLogger.child({ component: 'apm' }) });
  const alertService = { name: config.service.name, instanceId: config.service.instanceId, version: config.service.version, environment: config.service.environment };
  const newGroups = config.errors.newGroupAlerts;
  if (newGroups.enabled) onNewGroup = createNewGroupAlerts({ ...newGroups, service: alertService, receive: (a) => notifications.receive(a) });
  // A crash ends the open spans (the request that crashed), then flushes telemetry and sends the
  // critical alert side by side within shutdown.flushTimeoutMs.
  const crashReporter = config.errors.captureCrashes
    ? createCrashReporter({ tracker: errors, logger: rootLogger.child({ component: 'crash-reporter' }), flush: flushGlobalTelemetry, flushTimeoutMs: config.shutdown.flushTimeoutMs,
      beforeFlush: (incident) => void spanTrail.endOpenSpans(`process crashed (incident ${incident.id})`),
      notify: (incident, deadlineMs) => notifyCrash(notifications, incident, alertService, deadlineMs) })
    : undefined;
  crashReporter?.install();

  let shuttingDown: Promise<void> | undefined;
  let removeSignalHandlers = (): void => {};
  const mainReader = prometheus?.reader ?? inspection;
  const telemetry: Telemetry = {
    config,
    logger: rootLogger,
    metricsUrl: prometheus?.url,
    metricsHandler: prometheus?.handler,
    notifications,
    recovery,
    health,
    errors,
    apm,
    crashReporter,
    limits,
    db: pgComponent?.db ?? createDbApi(config),
    websocket: ws?.api(),
    alerts: evaluatorArea?.alerts ?? DISABLED_ALERTS,
    report(options) {
      if (!evaluatorArea) throw new Error('telemetry.report() needs the evaluator (rules.enabled: true)');
      return evaluatorArea.report(options);
    },
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
        unrouteAlerts();
        // Pending alert notifications go out first, while exporters and the logger still work.
        await notifications.shutdown(config.alerting.delivery.flushTimeoutMs).catch((err: unknown) => logger.warn({ err }, 'alert notifications did not flush'));
        crashReporter?.uninstall();
        telegram?.close();
        for (const c of [...components].reverse()) {
          try {
            await withTimeout(Promise.resolve(c.shutdown?.()), config.shutdown.flushTimeoutMs, `${c.name} shutdown`);
          } catch (err) {
            logger.warn({ err, componentName: c.name }, 'component did not shut down cleanly');
          }
        }
        // NodeSDK.shutdown() leaves instrumentations patched; unpatch them so a later start()
        // in this process patches afresh instead of finding stale wrappers with dead tracers.
        for (const i of instrumentations) safeCall('shutdown', () => i.disable());
        await prometheus?.close();
        try {
          await withTimeout(limits.close(), config.shutdown.flushTimeoutMs, 'rate-limit store close');
        } catch (err) {
          logger.warn({ err }, 'rate-limit store did not close cleanly');
        }
        ws?.disable();
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
        clearActiveTelemetry(telemetry);
        setInternalErrorLogger(undefined);
      })();
      return shuttingDown;
    },
  };
  setActiveTelemetry(telemetry);
  if (config.shutdown.handleSignals) removeSignalHandlers = installSignalHandlers(() => health.gracefulShutdown(), logger);
  logger.info({ metricsUrl: prometheus?.url, healthUrl: health.url, otlp: config.exporters.otlp.enabled ? config.exporters.otlp.endpoint : undefined }, 'pulseguard started');
  return telemetry;
}

/** Stops what start() had already started when a later step failed. */
async function abortStart(components: Component[], instrumentations: Instrumentation[], sdk: NodeSDK, prometheus: MetricsEndpoint | undefined): Promise<void> {
  for (const c of [...components].reverse()) await safeCallAsync('start', async () => c.shutdown?.());
  for (const i of instrumentations) safeCall('start', () => i.disable());
  await prometheus?.close();
  await safeCallAsync('start', () => sdk.shutdown());
  metrics.disable();
  trace.disable();
  context.disable();
  propagation.disable();
}
