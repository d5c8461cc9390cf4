import { reportInternalError } from '../internal/internal-errors';
import type { Alert, AlertEventName, AlertListener } from './types';

const COMPONENT = 'evaluator.listener';

/**
 * A typed emitter for alert events. Unlike EventEmitter, a throwing listener cannot stop the
 * others or the evaluation: each runs contained (counted in pulseguard.internal.errors), and
 * listeners run after the evaluation has updated every alert, so they see a consistent state.
 */
export class AlertEvents {
  private readonly listeners: Record<AlertEventName, Set<AlertListener>> = { pending: new Set(), firing: new Set(), resolved: new Set() };

  on(event: AlertEventName, fn: AlertListener): () => void {
    this.listeners[event].add(fn);
    return () => this.off(event, fn);
  }

  off(event: AlertEventName, fn: AlertListener): void {
    this.listeners[event].delete(fn);
  }

  /** Calls every listener of `event` with a frozen copy of the alert. */
  emit(event: AlertEventName, alert: Alert): void {
    const set = this.listeners[event];
    if (set.size === 0) return;
    const copy = Object.freeze({ ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } });
    for (const fn of [...set]) {
      try {
        fn(copy);
      } catch (err) {
        reportInternalError(COMPONENT, err);
      }
    }
  }

  listenerCount(event: AlertEventName): number {
    return this.listeners[event].size;
  }
}
