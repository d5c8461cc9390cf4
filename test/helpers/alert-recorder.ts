import * as sinon from 'sinon';
import { AlertDispatcher, type ChannelName, type Notification, type Notifier, type NotifyResult } from '../../src/alerting/index';
import { resolveConfig } from '../../src/config/index';
import { createLogger } from '../../src/logging/index';
import { LogCapture } from './log-capture';

/** A channel that records what it is sent; `down` makes it answer a retryable 503. */
export class RecordingNotifier implements Notifier {
  readonly got: Notification[] = [];
  attempts = 0;
  down = false;
  constructor(readonly channel: ChannelName) {}
  async notify(n: Notification): Promise<NotifyResult> {
    this.attempts++;
    if (this.down) return { ok: false, retryable: true, error: '503 Service Unavailable' };
    this.got.push(n);
    return { ok: true };
  }
  /** `reason:alertname/status+...` per notification, in order. */
  summary(): string[] {
    return this.got.map((n) => `${n.reason}:${n.alerts.map((a) => `${a.labels.alertname}${a.labels.route ?? ''}/${a.status}`).join('+')}`);
  }
}

/** A dispatcher on fake timers (sinon must fake setTimeout, clearTimeout and Date) with recorders for the given channels. */
export function recordingDispatcher(channels: ChannelName[], alerting: Record<string, unknown> = {}, options: { keepUndelivered?: boolean } = {}): {
  d: AlertDispatcher; rec: Record<string, RecordingNotifier>; logs: LogCapture;
} {
  const logs = new LogCapture();
  const rec: Record<string, RecordingNotifier> = {};
  for (const ch of channels) rec[ch] = new RecordingNotifier(ch);
  const config = resolveConfig({ service: { name: 't' }, alerting: { groupWaitMs: 30_000, groupIntervalMs: 60_000, ...alerting } });
  const d = new AlertDispatcher({ config: config.alerting, logger: createLogger({ destination: logs }), notifiers: rec, random: () => 0.5, ...options });
  return { d, rec, logs };
}

/** Fake timers for the dispatcher's clock. */
export function fakeClock(now = 0): sinon.SinonFakeTimers {
  return sinon.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}
