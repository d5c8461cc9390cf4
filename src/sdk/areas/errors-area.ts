import type { PulseguardConfig } from '../../config/types';
import { createCrashReporter } from '../../errors/crash-reporter';
import { notifyCrash } from '../../errors/crash-alert';
import { createNewGroupAlerts } from '../../errors/new-group-alerts';
import { flushGlobalTelemetry } from '../../errors/flush-telemetry';
import type { SpanTrail } from '../../errors/span-trail';
import type { ErrorEvent, ErrorTracker } from '../../errors/types';
import { defineArea } from '../area';

/** What start() builds before any area: the tracker feeds on log lines and span starts from the first one. */
export interface ErrorServices {
  tracker: ErrorTracker;
  spanTrail: SpanTrail;
  /** Points the tracker's new-group hook at the alerting pipeline (undefined unbinds it). */
  bindNewGroup(fn: ((e: ErrorEvent) => void) | undefined): void;
}

/**
 * The error tracker's alerting side and, when `errors.captureCrashes`, the crash reporter (removed
 * again on stop). After `alerting` in the table: new-group and crash alerts go through it.
 */
export function createErrorsArea(services: ErrorServices) {
  return defineArea({
    name: 'errors',
    logName: 'crash-reporter',
    settings: (c: PulseguardConfig) => ({
      ...c.errors, flushTimeoutMs: c.shutdown.flushTimeoutMs,
      service: { name: c.service.name, instanceId: c.service.instanceId, version: c.service.version, environment: c.service.environment },
    }),
    create(ctx) {
      const { captureCrashes, flushTimeoutMs, newGroupAlerts, service } = ctx.config;
      const notifications = ctx.handle('alerting');
      const { tracker, spanTrail } = services;
      if (newGroupAlerts.enabled) {
        services.bindNewGroup(createNewGroupAlerts({ ...newGroupAlerts, service, limiter: ctx.limiter, receive: (a) => notifications.receive(a) }));
      }
      // A crash ends the open spans (the request that crashed), then flushes telemetry and sends
      // the critical alert side by side within shutdown.flushTimeoutMs.
      const crashReporter = captureCrashes
        ? createCrashReporter({ tracker, logger: ctx.logger, flush: flushGlobalTelemetry, flushTimeoutMs,
          beforeFlush: (incident) => void spanTrail.endOpenSpans(`process crashed (incident ${incident.id})`),
          notify: (incident, deadlineMs) => notifyCrash(notifications, incident, service, deadlineMs) })
        : undefined;
      return {
        handle: { tracker, crashReporter },
        start: () => crashReporter?.install(),
        stop() {
          crashReporter?.uninstall();
          services.bindNewGroup(undefined);
        },
      };
    },
  });
}
