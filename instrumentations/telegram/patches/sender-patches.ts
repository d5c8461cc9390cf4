import { isWrapped } from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../../src/internal/internal-errors';
import { accountOf } from '../accounts';
import { CALL, type CallContext } from '../call-tracker';
import { BROKEN, GENERATION, noteClientSession } from '../client-control';
import { telegramCollectors } from '../collectors';
import { telegramEvents } from '../events';
import type { RequestStateLike, SenderLike, SenderModule, TlRequest } from '../internal-types';
import type { SenderView } from '../metrics/connection-collector';
import { RECONNECT_REASON_VALUE_CONNECTION_LOST, RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT } from '../semconv';
import { wrapUpdateCallback } from '../update-callback';
import { PING_METHODS, UPLOAD_METHODS } from '../utils';
import type { PatchContext } from './patch-context';

const COMPONENT = 'telegram.instrumentation';
const SENDER_VIEW = Symbol.for('pulseguard.telegram.senderView');
type SenderState = SenderLike & { [SENDER_VIEW]?: object; [GENERATION]?: number; [BROKEN]?: boolean };

/** The MTProtoSender methods {@link patchSender} wraps. @internal */
export const SENDER_METHODS = ['addStateToQueue', 'send', 'reconnect', '_connect'] as const;

/**
 * Patches `MTProtoSender.prototype`: `addStateToQueue` (one event per attempt, so silent flood
 * sleeps show), `send` (keep-alive round trips, upload part round trips and flood waits),
 * `reconnect` and `_connect` (reconnects, the connection-state gauge, who runs a session). Each
 * sender's update callback is wrapped on first sight. @internal
 */
export function patchSender(m: SenderModule, ctx: PatchContext): SenderModule {
  const proto = m.MTProtoSender.prototype;
  if (isWrapped(proto.addStateToQueue)) return m;
  ctx.own(m);
  const { calls, config, updateSink } = ctx;
  const collectors = () => telegramCollectors();
  const adopt = (sender: SenderState): void => {
    try {
      wrapUpdateCallback(sender, updateSink);
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
  };
  ctx.wrap(proto, 'addStateToQueue', (original) => function addStateToQueue(this: SenderLike, state: RequestStateLike) {
    adopt(this);
    const call = state?.request?.[CALL] as CallContext | undefined;
    if (call !== undefined) calls().attempt(call, this, state);
    return original.call(this, state);
  });
  ctx.wrap(proto, 'send', (original) => function send(this: SenderState, request: TlRequest) {
    adopt(this);
    const p = original.call(this, request);
    try {
      const name = request?.className;
      if (name !== undefined && PING_METHODS.has(name)) {
        if (config().pingRtt !== false) {
          const t0 = performance.now();
          const dc = this.dcId;
          const generation = this[GENERATION] ?? 0;
          p.then(() => {
            if ((this[GENERATION] ?? 0) === generation) collectors().connection.recordRtt(dc, (performance.now() - t0) / 1000);
          }, () => undefined);
        }
      } else if (name !== undefined) {
        if (UPLOAD_METHODS.has(name)) {
          const t0 = performance.now();
          const account = accountOf(this._client);
          p.then(() => collectors().limits.recordUploadPart((performance.now() - t0) / 1000, account), () => undefined);
        }
        p.then(undefined, (err: unknown) => calls().sendFailed(this, request, err));
      }
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
    return p;
  });
  ctx.wrap(proto, 'reconnect', (original) => function reconnect(this: SenderState) {
    try {
      this[GENERATION] = (this[GENERATION] ?? 0) + 1;
      if (this._userConnected && !this.isReconnecting) {
        // GramJS's receive loop marks the connection down before reconnecting; the keep-alive
        // loop reconnects while the socket still looks up (pings unanswered).
        const reason = this._connection && this._connection._connected === false
          ? RECONNECT_REASON_VALUE_CONNECTION_LOST : RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT;
        collectors().connection.recordReconnect(reason);
        if (telegramEvents.active) telegramEvents.emit({ type: 'reconnect', client: this._client, reason });
      }
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
    return original.call(this);
  });
  ctx.wrap(proto, '_connect', (original) => function _connect(this: SenderState) {
    try {
      this[GENERATION] = (this[GENERATION] ?? 0) + 1;
      adopt(this);
      if (this[SENDER_VIEW] === undefined) {
        const view = senderView(this);
        this[SENDER_VIEW] = view;
        collectors().connection.track(view);
      }
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
    const p = original.call(this);
    p.then(() => {
      // A fresh connection: a -404 of the last one no longer applies; remember who runs the session.
      this[BROKEN] = false;
      if (this._isMainSender && this._client) noteClientSession(this._client);
    }, () => undefined);
    return p;
  });
  return m;
}

/** A live view of a sender's state for the connection-state gauge (read at collect time). */
function senderView(sender: SenderLike): SenderView {
  return {
    get dcId() {
      return sender.dcId;
    },
    isConnectedNow: () => Boolean(sender._userConnected && !sender.isReconnecting && sender._connection?._connected && !(sender as SenderState)[BROKEN]),
    isWanted: () => sender.userDisconnected !== true && (sender._client as { _destroyed?: boolean } | undefined)?._destroyed !== true,
  };
}
