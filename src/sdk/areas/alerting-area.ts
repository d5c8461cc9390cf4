import type { PulseguardConfig } from '../../config/types';
import { AlertDispatcher } from '../../alerting/alert-dispatcher';
import { createNotifiers } from '../../alerting/notifiers/create-notifiers';
import { defineArea } from '../area';
import { routeAlerts } from '../alert-routing';

/**
 * The notification pipeline, fed by the alert bus; firing alerts that name a procedure run it.
 * Last in the table, so it stops first: pending notifications go out while exporters and the
 * logger still work.
 */
export const alertingArea = defineArea({
  name: 'alerting',
  // Two children: the pipeline ('alerting') and the channels ('alerts').
  logName: false,
  settings: (c: PulseguardConfig) => ({ alerting: c.alerting, recoveryEnabled: c.recovery.enabled }),
  create(ctx) {
    const { alerting, recoveryEnabled } = ctx.config;
    const logger = ctx.logger.child({ component: 'alerting' });
    const notifications = new AlertDispatcher({ config: alerting, logger, notifiers: createNotifiers(alerting.channels, ctx.logger.child({ component: 'alerts' })) });
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
