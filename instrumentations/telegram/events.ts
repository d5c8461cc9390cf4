import { reportInternalError } from '../../src/internal/internal-errors';
import type { ClientLike } from './internal-types';
import type { TelegramRpcInfo, TelegramSessionErrorInfo } from './types';

/** What the instrumentation tells in-process listeners (the session monitor). @internal */
export type TelegramEvent =
  | { type: 'rpc'; client: object; info: TelegramRpcInfo }
  | { type: 'session_error'; client: object; info: TelegramSessionErrorInfo }
  | { type: 'reconnect'; client: object | undefined; reason: string }
  | { type: 'destroyed'; client: object };

type Listener = (e: TelegramEvent) => void;

/**
 * A tiny synchronous bus from the patches to per-client listeners. The hot path checks
 * `active` first, so with no listener nothing is allocated.
 *
 * @internal
 */
export class TelegramEventBus {
  private readonly listeners = new Set<Listener>();
  active = false;

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    this.active = true;
    return () => {
      this.listeners.delete(listener);
      this.active = this.listeners.size > 0;
    };
  }

  emit(event: TelegramEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        reportInternalError('telegram.events', err);
      }
    }
  }
}

/** The process-wide bus (instrumentations patch modules once per process). @internal */
export const telegramEvents = new TelegramEventBus();

/** @internal */
export type { ClientLike };
