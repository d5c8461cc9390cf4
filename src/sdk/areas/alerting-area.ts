import type { PulseguardConfig } from '../../config/types';
import { AlertDispatcher } from '../../alerting/alert-dispatcher';
import { createNotifiers } from '../../alerting/notifiers/create-notifiers';
import { defineArea } from '../area';
import { routeAlerts } from '../alert-routing';
import type * as FleetGateSetup from '../fleet-gate-setup';
import { loadDispatcher, storeDispatcher, trimDispatcher } from '../../alerting/journal/dispatcher-state';

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
    // The fleet gate's modules load only when fleet de-duplication is on (off by default).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fleet = alerting.fleet.enabled ? (require('../fleet-gate-setup') as typeof FleetGateSetup).createFleetGate(ctx.limiter.redisClient, { ...alerting.fleet, service, claimTimeoutMs, matrix: alerting.matrix, logger }) : undefined;
    const journal = ctx.handle('journal');
    const notifications = new AlertDispatcher({ config: alerting, logger, fleet, notifiers: createNotifiers(alerting.channels, ctx.logger.child({ component: 'alerts' })),
      keepUndelivered: journal !== undefined });
    if (journal) {
      const saved = journal.restoredSection('dispatcher');
      if (saved !== undefined) {
        // Groups of the evaluator's alerts come back (their records did too, so their resolves
        // follow); those of crash and new-group alerts do not: their owner is gone.
        const rules = ctx.handle('evaluator')?.ruleNames ?? new Set<string>();
        try {
          notifications.restore(loadDispatcher(saved), (a) => rules.has(a.labels.alertname ?? ''));
        } catch (err) {
          logger.warn({ err }, 'alert journal: notification state not restored');
        }
      }
      journal.register('dispatcher', { snapshot: () => storeDispatcher(notifications.journalState()), trim: trimDispatcher }, 2);
    }
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
