import { isWrapped } from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../../src/internal/internal-errors';
import { AUTH_PROBE } from '../call-tracker';
import { telegramEvents } from '../events';
import type { ClientLike, ClientModule } from '../internal-types';
import { restoreHandlers } from '../update-handlers';
import type { PatchContext } from './patch-context';

const COMPONENT = 'telegram.instrumentation';

/** The TelegramClient methods {@link patchClient} wraps. @internal */
export const CLIENT_METHODS = ['_switchDC', 'checkAuthorization', 'destroy', 'listEventHandlers', 'removeEventHandler'] as const;

/**
 * Patches `TelegramClient.prototype`: `_switchDC` (migrations with the error that caused them),
 * `checkAuthorization` (the login probe's AUTH_KEY_UNREGISTERED is not a session error),
 * `destroy` (the session monitor lets the client go), and `listEventHandlers` /
 * `removeEventHandler`, which see the app's own handler functions, not pulseguard's timing
 * wrappers (update-handlers.ts). @internal
 */
export function patchClient(m: ClientModule, ctx: PatchContext): ClientModule {
  const proto = m.TelegramClient.prototype;
  if (isWrapped(proto._switchDC)) return m;
  ctx.own(m);
  const { calls } = ctx;
  ctx.wrap(proto, '_switchDC', (original) => function _switchDC(this: ClientLike, newDc: number) {
    calls().migration(this, newDc);
    return original.call(this, newDc);
  });
  // GramJS's login flow probes an empty session with updates.GetState and expects
  // AUTH_KEY_UNREGISTERED: mark the client while the probe runs.
  ctx.wrap(proto, 'checkAuthorization', (original) => function checkAuthorization(this: ClientLike) {
    this[AUTH_PROBE] = ((this[AUTH_PROBE] as number | undefined) ?? 0) + 1;
    const done = (): void => {
      this[AUTH_PROBE] = ((this[AUTH_PROBE] as number | undefined) ?? 1) - 1;
    };
    try {
      const p = original.call(this);
      p.then(done, done);
      return p;
    } catch (err) {
      done();
      throw err;
    }
  });
  ctx.wrap(proto, 'destroy', (original) => function destroy(this: ClientLike) {
    const p = original.call(this);
    try {
      if (telegramEvents.active) telegramEvents.emit({ type: 'destroyed', client: this });
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
    return p;
  });
  for (const name of ['listEventHandlers', 'removeEventHandler'] as const) {
    ctx.wrap(proto, name, (original) => function withOwnHandlers(this: ClientLike, ...args: unknown[]) {
      try {
        restoreHandlers(this);
      } catch (err) {
        reportInternalError(COMPONENT, err);
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original);
  }
  return m;
}
