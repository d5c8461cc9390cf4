import { strict as assert } from 'node:assert';
import { routeAlerts, toNotifiedAlert } from '../../../src/sdk/alert-routing';
import { AlertDispatcher, type Notification, type Notifier } from '../../../src/alerting/index';
import { RecoveryRegistry } from '../../../src/recovery/index';
import { resolveConfig } from '../../../src/config/index';
import { createLogger } from '../../../src/logging/index';
import type { Alert, AlertListener, AlertsApi } from '../../../src/evaluator/types';
import { LogCapture } from '../../helpers/log-capture';

function fakeAlerts(): AlertsApi & { emit(event: 'firing' | 'resolved', a: Alert): void } {
  const listeners = new Map<string, Set<AlertListener>>();
  return {
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(fn);
      return () => listeners.get(event)?.delete(fn);
    },
    off(event, fn) { listeners.get(event)?.delete(fn); },
    active: () => [],
    rules: () => [],
    evaluateNow: async () => {},
    emit(event, a) { for (const fn of listeners.get(event) ?? []) fn(a); },
  };
}

const alert = (state: Alert['state'], recovery?: string): Alert => ({
  id: 'x', alertname: 'WsDown', severity: 'critical', state, labels: { alertname: 'WsDown', severity: 'critical', upstream: 'feed' },
  annotations: { summary: 'feed down' }, value: 0, threshold: 1, activeAt: 1000, firedAt: 2000, resolvedAt: state === 'resolved' ? 3000 : undefined, recovery,
});

describe('routeAlerts', () => {
  it('notifies firing and resolved alerts and runs the rule\'s recovery procedure once per label set', async () => {
    const config = resolveConfig({ service: { name: 't' }, alerting: { groupWaitMs: 0, groupIntervalMs: 1000 } });
    const got: Notification[] = [];
    const recorder: Notifier = { channel: 'log', notify: async (n) => { got.push(n); return { ok: true }; } };
    const logger = createLogger({ destination: new LogCapture() });
    const dispatcher = new AlertDispatcher({ config: config.alerting, logger, notifiers: { log: recorder, slack: recorder, email: recorder } });
    const recovery = new RecoveryRegistry(config.recovery, logger);
    const targets: string[] = [];
    recovery.register('feed.reconnect', (ctx) => { targets.push(`${ctx.target}/${ctx.reason}`); });
    const alerts = fakeAlerts();
    const off = routeAlerts(alerts, dispatcher, recovery, true, logger);
    alerts.emit('firing', alert('firing', 'feed.reconnect'));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(targets, ['upstream=feed/WsDown']);
    alerts.emit('resolved', alert('resolved', 'feed.reconnect'));
    await dispatcher.shutdown(500);
    off();
    assert.ok(got.some((n) => n.status === 'firing' && n.alerts[0].labels.upstream === 'feed'));
    assert.ok(got.some((n) => n.status === 'resolved'), got.map((n) => n.status).join(','));
  });

  it('maps the evaluator alert to the Alertmanager shape', () => {
    const n = toNotifiedAlert(alert('resolved'));
    assert.equal(n.status, 'resolved');
    assert.equal(n.startsAt.getTime(), 2000);
    assert.equal(n.endsAt?.getTime(), 3000);
    assert.equal(n.threshold, 1);
  });
});
