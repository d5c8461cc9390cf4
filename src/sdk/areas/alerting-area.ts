import type { PulseguardConfig } from '../../config/types';
import { AlertDispatcher } from '../../alerting/alert-dispatcher';
import { createNotifiers } from '../../alerting/notifiers/create-notifiers';
import { defineArea } from '../area';
import { routeAlerts } from '../alert-routing';
import { createFleetGate } from '../fleet-gate-setup';

/**
 * The notification pipeline, fed by the alert bus; firing alerts that name a procedure run it.
 * Last in the table, so it stops first: pending notifications go out while exporters and the
 * logger still work.
 */
export const alertingArea = defineArea({
  name: 'alerting',
  // Two children: the pipeline ('alerting') and the channels ('alerts').
  logName: false,
  settings: (c: PulseguardConfig) => ({
    alerting: c.alerting, recoveryEnabled: c.recovery.enabled, service: c.service.name,
    // A fleet claim waits no longer than a rate-limit decision on the same Redis.
    claimTimeoutMs: c.rateLimits.redisCommandTimeoutMs,
  }),
  create(ctx) {
    const { alerting, recoveryEnabled, service, claimTimeoutMs } = ctx.config;
    const logger = ctx.logger.child({ component: 'alerting' });
    const fleet = alerting.fleet.enabled ? createFleetGate(ctx.limiter.redisClient, { ...alerting.fleet, service, claimTimeoutMs, matrix: alerting.matrix, logger }) : undefined;
    const notifications = new AlertDispatcher({ config: alerting, logger, fleet, notifiers: createNotifiers(alerting.channels, ctx.logger.child({ component: 'alerts' })) });
    const unroute = routeAlerts(ctx.alerts, notifications, ctx.handle('recovery'), recoveryEnabled, logger);
    return {
      handle: notifications,
      async stop() {
        unroute();
        try {
          await notifications.shutdown(alerting.delivery.flushTimeoutMs);
        } catch (err) {
          logger.warn({ err }, 'alert notifications did not flush');
        }
      },
    };
  },
});
