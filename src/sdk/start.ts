import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveConfig } from '../config/validate';
import type { PulseguardConfigInput } from '../config/types';
import { createLogger } from '../logging/logger';
import { setInternalErrorLogger } from '../internal/internal-errors';
import { pulseguardMetrics } from '../metrics/registry';
import { createHotMetricProducer } from '../metrics/hot-metric-producer';
import { DISABLED_ALERTS } from '../evaluator/evaluator-area';
import { createServiceResource } from './resource';
import type { Telemetry } from './telemetry';
import { installSignalHandlers } from './signals';
import { clearActiveTelemetry, getTelemetry, setActiveTelemetry } from './active-telemetry';
import { composeAreas } from './compose';
import { areaTable } from './area-table';
import { OtelSetup } from './otel-setup';
import { createErrorTracker } from '../errors/error-tracker';
import { SpanTrail } from '../errors/span-trail';
import { errorTrackerOptions } from '../errors/tracker-options';
import type { ErrorEvent } from '../errors/types';
import { warnPreloadedPackages } from '../internal/preloaded-packages';

const systemClock = { now: (): number => Date.now() };

/**
 * Validates the configuration (throwing a ConfigError that lists every problem), then builds and
 * starts the areas of the area table (src/sdk/area-table.ts) from one context each: the limiter,
 * the exporters and the evaluator, the OpenTelemetry SDK, the instrumentations, errors and APM,
 * recovery, health and alerting. A failing step undoes what already runs.
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
  const tracker = createErrorTracker(errorTrackerOptions(config, (e) => onNewGroup?.(e)));
  // The root logger is the app's (telemetry.logger); each area logs through a child with its own
  // `component`, so no line carries the key twice.
  const rootLogger = createLogger({
    level: config.logging.level,
    redactPaths: config.logging.redactPaths,
    base: { service: config.service.name, instance: config.service.instanceId },
    onLine: (level, message) => tracker.addBreadcrumb('log', message, level),
  });
  const logger = rootLogger.child({ component: 'pulseguard' });
  setInternalErrorLogger(logger);
  const inst = config.instrumentations;
  warnPreloadedPackages({ ws: inst.ws.enabled, pg: inst.pg.enabled, telegram: inst.telegram.enabled }, logger);
  pulseguardMetrics.onObserverError = (name, err) => logger.warn({ metric: name, err }, 'metric callback failed');

  const resource = createServiceResource(config.service);
  const otel = new OtelSetup();
  let shuttingDown: Promise<void> | undefined;
  let removeSignalHandlers = (): void => {};
  // Filled once the areas run; shutdown() may be called by the health area's graceful shutdown.
  const active: { telemetry?: Telemetry } = {};
  let stopAreas = async (): Promise<void> => {};
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      removeSignalHandlers();
      await stopAreas();
      pulseguardMetrics.deliveredByProducer = false;
      if (active.telemetry) clearActiveTelemetry(active.telemetry);
      setInternalErrorLogger(undefined);
    })();
    return shuttingDown;
  };
  // The hot-metric producer on every reader delivers the registry: the instrumentations' meter
  // bridges (for use without start()) must not report it a second time.
  pulseguardMetrics.deliveredByProducer = true;
  let areas;
  try {
    const spanTrail = new SpanTrail((name) => tracker.addBreadcrumb('span', name), { trackOpenSpans: config.errors.captureCrashes });
    areas = await composeAreas(areaTable(otel, { tracker, spanTrail, bindNewGroup: (fn) => (onNewGroup = fn) }), {
      config, logger: rootLogger, resource, metrics: pulseguardMetrics,
      producers: [createHotMetricProducer(pulseguardMetrics, resource, { exclude: () => otel.excludedHotMetrics() })], clock: systemClock, otel, shutdown,
    });
  } catch (err) {
    pulseguardMetrics.deliveredByProducer = false;
    setInternalErrorLogger(undefined);
    throw err;
  }
  stopAreas = areas.stop;
  const exporters = areas.handle('exporters');
  const evaluator = areas.handle('evaluator');
  const errors = areas.handle('errors');
  const telemetry: Telemetry = {
    config,
    logger: rootLogger,
    metricsUrl: exporters.metricsUrl,
    metricsHandler: exporters.metricsHandler,
    notifications: areas.handle('alerting'),
    recovery: areas.handle('recovery'),
    health: areas.handle('health'),
    errors: errors.tracker,
    apm: areas.handle('apm'),
    crashReporter: errors.crashReporter,
    limits: areas.handle('limits'),
    db: areas.handle('pg'),
    websocket: areas.handle('ws'),
    alerts: evaluator?.alerts ?? DISABLED_ALERTS,
    report(options) {
      if (!evaluator) throw new Error('telemetry.report() needs the evaluator (rules.enabled: true)');
      return evaluator.report(options);
    },
    telegram: areas.handle('telegram'),
    async collect(): Promise<ResourceMetrics> {
      const reader = exporters.mainReader;
      if (!reader) throw new Error('no metric reader is configured');
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics;
    },
    shutdown,
  };
  active.telemetry = telemetry;
  setActiveTelemetry(telemetry);
  const health = telemetry.health;
  if (config.shutdown.handleSignals) removeSignalHandlers = installSignalHandlers(() => health.gracefulShutdown(), logger);
  logger.info({ metricsUrl: exporters.metricsUrl, healthUrl: health.url, otlp: config.exporters.otlp.enabled ? config.exporters.otlp.endpoint : undefined }, 'pulseguard started');
  return telemetry;
}
