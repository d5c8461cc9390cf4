import { reportInternalError } from '../../src/internal/internal-errors';
import { accountOf } from './accounts';
import type { TelegramCollectors } from './collectors';
import type { ClientLike, SenderLike } from './internal-types';
import { WeakRefs } from './weak-refs';

const COMPONENT = 'telegram.instrumentation';
const WRAPPED = Symbol.for('pulseguard.telegram.updateCallback');
/** On a wrapper: the sender's own callback. */
const ORIGINAL = Symbol.for('pulseguard.telegram.updateCallbackOriginal');
// GramJS sends MTProto containers of updates; 0x8af52aac is crc32('Updates').
const UPDATES_SUBCLASS = 0x8af52aac;
// network/index.js UpdateConnectionState.broken: the server answered -404 (auth key unknown).
const CONNECTION_BROKEN = 0;

/** Where a wrapped update callback reports. @internal */
export interface UpdateSink {
  collectors(): TelegramCollectors;
  /** The main sender got UpdateConnectionState.broken (transport error -404). */
  broken(sender: SenderLike): void;
  /** Called before GramJS dispatches an update to the client's handlers (they get timed). */
  beforeDispatch(client: ClientLike): void;
}

type UpdateCallback = ((client: ClientLike, update: unknown) => unknown) & { [WRAPPED]?: true; [ORIGINAL]?: UpdateCallback };
type SenderWithCallback = SenderLike & { _updateCallback?: UpdateCallback };
type UpdateLike = { className?: string; SUBCLASS_OF_ID?: number; updates?: UpdateLike[]; update?: UpdateLike; date?: number; state?: unknown };

// The senders whose callback is wrapped, for unwrapUpdateCallbacks().
const wrappedSenders = new WeakRefs<SenderWithCallback>();

/**
 * Wraps a sender's update callback once. The callback is bound when the sender is built
 * (`updates._handleUpdate.bind(client)`), so patching the module export would miss every client
 * that connected before pulseguard started; wrapping the sender's own callback on first sight
 * (connect, send, any queued request; keep-alive pings come every 9 s) covers them all.
 *
 * @internal
 */
export function wrapUpdateCallback(sender: SenderWithCallback, sink: UpdateSink): void {
  const original = sender._updateCallback;
  if (typeof original !== 'function' || original[WRAPPED] === true) return;
  const wrapped: UpdateCallback = function updateCallback(this: unknown, client: ClientLike, update: unknown) {
    try {
      observe(sender, client, update, sink);
      if (client !== null && typeof client === 'object') sink.beforeDispatch(client);
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
    return original.call(this, client, update);
  };
  wrapped[WRAPPED] = true;
  wrapped[ORIGINAL] = original;
  sender._updateCallback = wrapped;
  wrappedSenders.add(sender);
}

/** Puts every wrapped sender's own update callback back (the instrumentation is disabled). @internal */
export function unwrapUpdateCallbacks(): void {
  for (const sender of wrappedSenders.drain()) {
    const cb = sender._updateCallback;
    if (cb?.[WRAPPED] === true && cb[ORIGINAL] !== undefined) sender._updateCallback = cb[ORIGINAL];
  }
}

function observe(sender: SenderLike, client: ClientLike, update: unknown, sink: UpdateSink): void {
  if (update === null || typeof update !== 'object') return;
  const u = update as UpdateLike;
  if (u.SUBCLASS_OF_ID !== UPDATES_SUBCLASS || typeof u.className !== 'string') {
    if (u.state === CONNECTION_BROKEN && u.className === undefined && sender._isMainSender) sink.broken(sender);
    return;
  }
  const c = sink.collectors();
  const account = accountOf(client);
  if ((u.className === 'Updates' || u.className === 'UpdatesCombined') && Array.isArray(u.updates)) {
    for (const inner of u.updates) if (typeof inner?.className === 'string') c.updates.record(inner.className, account);
  } else if (u.className === 'UpdateShort' && typeof u.update?.className === 'string') {
    c.updates.record(u.update.className, account);
  } else {
    c.updates.record(u.className, account);
  }
  // The container's date is when Telegram produced the update (UpdatesTooLong has none).
  if (typeof u.date === 'number') c.updates.recordDelay(u.date, account);
}
