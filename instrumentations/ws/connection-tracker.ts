import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { safeCall } from '../../src/internal/safe-call';
import { reportInternalError } from '../../src/internal/internal-errors';
import type { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import type { ConnectionCollector } from './metrics/connection-collector';
import type { MessageCollector } from './metrics/message-collector';
import type { ReconnectCollector } from './metrics/reconnect-collector';
import type { RoleHandles } from './metrics/base-collector';
import { wsCollectors } from './metrics/collectors';
import { WsGuards } from './guards';
import { WsHealthMonitor } from './health';
import type { ConnectionState, Keyed, WsSocketInternals } from './internal-types';
import { K_STATE } from './connection-state-key';
import { WsLivenessPinger } from './liveness-pinger';
import type { TrackerOptions } from './tracker-options';
import { byteLengthOf, clientRejectReason, errorTypeOf, truncateReason } from './utils';
import { WsUpgradeHandshake } from './upgrade-handshake';
import {
  ATTR_WS_CLOSE_CODE, ATTR_WS_CLOSE_REASON, CLOSE_CODE_MESSAGE_TOO_BIG, ERROR_TYPE_VALUE_HANDLER_ERROR,
  ERROR_TYPE_VALUE_MESSAGE_RATE_LIMITED, ERROR_TYPE_VALUE_MESSAGE_TOO_BIG, ERROR_TYPE_VALUE_PING_TIMEOUT,
  ROLE_VALUE_CLIENT, SPAN_WS_CLOSE, SPAN_WS_RECEIVE, SPAN_WS_SEND, WS_COMPONENT,
} from './semconv';

const K_CLIENT_FAILED = Symbol.for('pulseguard.ws.clientFailed');
/** Outstanding correlation ids per connection beyond which the oldest are forgotten (bounded memory). */
const MAX_PENDING = 1024;

/** {@link WsConnectionTracker.received}: a guard refused the message, it is not delivered. @internal */
export const MESSAGE_REFUSED = 0;
/** {@link WsConnectionTracker.received}: deliver it as it is. @internal */
export const MESSAGE_DELIVER = 1;
/** {@link WsConnectionTracker.received}: deliver it through deliverObserved (span sampling). @internal */
export const MESSAGE_OBSERVE = 2;
/** {@link WsConnectionTracker.received}: deliver it through deliverObserved, timing the handler. @internal */
export const MESSAGE_OBSERVE_TIMED = 3;

/**
 * What the patches call: turns ws events into metrics, spans and guard decisions. Every method
 * is called inside a try/catch by the patch, so a fault here never reaches the app.
 * @internal
 */
export class WsConnectionTracker {
  readonly connections: ConnectionCollector;
  readonly messages: MessageCollector;
  readonly reconnects: ReconnectCollector;
  readonly guards: WsGuards;
  readonly healthMonitor: WsHealthMonitor;
  private readonly handles: [RoleHandles, RoleHandles];
  /** Server upgrades between handleUpgrade and setSocket. */
  readonly upgrades: WsUpgradeHandshake;
  private readonly pinger: WsLivenessPinger;

  constructor(registry: HotMetricRegistry, public opts: TrackerOptions, private readonly tracer: () => Tracer) {
    this.guards = new WsGuards(opts.limiter, opts.config.guards === true);
    const c = wsCollectors(registry);
    this.connections = c.connections;
    this.messages = c.messages;
    this.reconnects = c.reconnects;
    this.handles = c.handles;
    this.pinger = new WsLivenessPinger(() => this.opts.config.pingIntervalMs ?? 30_000, (st) => this.messages.error(st.h.role, ERROR_TYPE_VALUE_PING_TIMEOUT));
    this.upgrades = new WsUpgradeHandshake(this, this.pinger, tracer);
    this.healthMonitor = new WsHealthMonitor(opts.healthWindowMs, () => {
      const t = this.messages.totals();
      return { ...t, errors: this.messages.errorTotal, closes: this.connections.closes, abnormalCloses: this.connections.abnormalCloses };
    }, () => ({ clientCount: this.handles[0].active.value + this.handles[1].active.value, activeUsers: this.guards.users.size }));
  }

  /** Applies new options (setConfig). */
  reconfigure(opts: TrackerOptions): void {
    this.opts = opts;
    this.guards.reconfigure(opts.limiter, opts.config.guards === true);
  }

  /** This tracker receives the events now: the distinct-user gauge reads its guards. */
  activate(): void {
    this.connections.observeActiveUsers(() => this.guards.users.size);
    this.healthMonitor.start();
  }

  /** Stops timers (instrumentation disabled). */
  stop(): void {
    this.healthMonitor.stop();
    this.pinger.stop();
  }

  /** Open connections of both roles. */
  activeConnections(): number {
    return this.handles[0].active.value + this.handles[1].active.value;
  }

  /** setSocket ran: the connection is open (server after the upgrade, client after the 101). */
  attach(ws: Keyed<WsSocketInternals>): void {
    if (ws[K_STATE] !== undefined) return;
    const h = ws._isServer ? this.handles[0] : this.handles[1];
    const up = ws._isServer ? this.upgrades.current : undefined;
    this.upgrades.current = undefined;
    let userKey: string | undefined;
    let spanContext;
    let reserved = false;
    if (up && !up.done) {
      up.done = true;
      userKey = up.userKey;
      spanContext = up.span.spanContext();
      up.span.end();
      // The reservation becomes the connection's slot; one taken by an instrumentation since
      // replaced is given back there, and the connection counts here.
      reserved = up.guards === this.guards;
      if (!reserved) up.guards.release(userKey);
    }
    const st: ConnectionState = { h, openedAt: performance.now(), userKey, winStart: -Infinity, winCount: 0, pingSentAt: 0, pingTick: 0, framed: 0, outBinary: false, untilTimed: 1, refused: undefined, spanContext, pending: undefined };
    ws[K_STATE] = st;
    h.active.add(1);
    h.accepted.add(1);
    if (h.isServer) this.guards.opened(userKey, reserved);
  }

  /**
   * Inbound message: counts, size, guards, correlation. Returns how the emit patch delivers it:
   * {@link MESSAGE_REFUSED} (a guard refused it: not delivered), {@link MESSAGE_DELIVER} (plain
   * delivery, done by the patch itself so that V8 inlines EventEmitter#emit there) or
   * {@link MESSAGE_OBSERVE} (its handler time or a span is taken: {@link deliverObserved}).
   */
  received(ws: Keyed<WsSocketInternals>, st: ConnectionState, data: unknown, isBinary: unknown): number {
    const h = st.h;
    try {
      (isBinary === true ? h.inBinary : h.inText).add(1);
      const size = byteLengthOf(data);
      h.inSize.record(size);
      if (st.refused !== undefined) {
        this.messages.error(h.role, st.refused);
        return MESSAGE_REFUSED;
      }
      // The clock is read only when something needs it (performance.now() is ~300 instructions):
      // the guard window for every server message when the guards are on.
      if (h.isServer && this.guards.enabled) {
        const code = this.guards.checkMessage(st, size, performance.now());
        if (code !== 0) {
          st.refused = code === CLOSE_CODE_MESSAGE_TOO_BIG ? ERROR_TYPE_VALUE_MESSAGE_TOO_BIG : ERROR_TYPE_VALUE_MESSAGE_RATE_LIMITED;
          this.messages.error(h.role, st.refused);
          ws.close(code, st.refused);
          return MESSAGE_REFUSED;
        }
      }
      if (st.pending !== undefined && this.opts.correlationId !== undefined) this.matchCorrelation(st, data);
    } catch (err) {
      reportInternalError(WS_COMPONENT, err);
    }
    // Server: handler time of the app's listeners, for the first delivered message of a socket
    // and then one in handlerTimingSampleEvery.
    if (h.isServer && --st.untilTimed <= 0) {
      st.untilTimed = this.opts.handlerTimingSampleEvery;
      return MESSAGE_OBSERVE_TIMED;
    }
    return this.opts.messageSpanRatio > 0 ? MESSAGE_OBSERVE : MESSAGE_DELIVER;
  }

  /** The app's handler threw while a message was delivered (the error passes through unchanged). */
  handlerFailed(st: ConnectionState): void {
    this.messages.error(st.h.role, ERROR_TYPE_VALUE_HANDLER_ERROR);
  }

  /**
   * Delivers a message whose handler time is taken (`timed`) or which may get a span (sampled
   * here). Errors from the app pass through unchanged.
   */
  deliverObserved(ws: Keyed<WsSocketInternals>, st: ConnectionState, emit: (this: unknown, ...a: unknown[]) => boolean, data: unknown, isBinary: unknown, timed: boolean): boolean {
    const spanRatio = this.opts.messageSpanRatio;
    const span = spanRatio > 0 && Math.random() < spanRatio
      ? this.tracer().startSpan(SPAN_WS_RECEIVE, { kind: SpanKind.CONSUMER, links: st.spanContext ? [{ context: st.spanContext }] : [] })
      : undefined;
    const t0 = timed ? performance.now() : 0;
    try {
      return emit.call(ws, 'message', data, isBinary);
    } catch (err) {
      this.handlerFailed(st);
      span?.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      if (timed) st.h.handlerLatency.record((performance.now() - t0) / 1000);
      span?.end();
    }
  }

  private matchCorrelation(st: ConnectionState, data: unknown): void {
    const id = safeCall(WS_COMPONENT, this.opts.correlationId as NonNullable<TrackerOptions['correlationId']>, data, 'receive');
    if (id === undefined || st.pending === undefined) return;
    const sentAt = st.pending.get(id);
    if (sentAt === undefined) return;
    st.pending.delete(id);
    st.h.roundTrip.record((performance.now() - sentAt) / 1000);
  }

  /**
   * Outbound message on an open socket whose Sender does not count its frames (ws before 8.5,
   * see frame-size.ts): counted and measured here.
   */
  sent(st: ConnectionState, data: unknown, options: unknown): void {
    const h = st.h;
    const explicit = typeof options === 'object' && options !== null ? (options as { binary?: unknown }).binary : undefined;
    const binary = typeof explicit === 'boolean' ? explicit : typeof data !== 'string' && typeof data !== 'number';
    (binary ? h.outBinary : h.outText).add(1);
    h.outSize.record(byteLengthOf(data));
  }

  /** Correlation id and span of an outbound message (only when configured: `opts.sendExtras`). */
  sentExtras(st: ConnectionState, data: unknown): void {
    const o = this.opts;
    const correlationId = o.correlationId;
    if (correlationId !== undefined) {
      const id = safeCall(WS_COMPONENT, correlationId, data, 'transmit');
      if (id !== undefined) {
        st.pending ??= new Map();
        if (st.pending.size >= MAX_PENDING) st.pending.delete(st.pending.keys().next().value as string | number);
        st.pending.set(id, performance.now());
      }
    }
    if (o.messageSpanRatio > 0 && Math.random() < o.messageSpanRatio) {
      this.tracer().startSpan(SPAN_WS_SEND, { kind: SpanKind.PRODUCER, links: st.spanContext ? [{ context: st.spanContext }] : [] }).end();
    }
  }

  /** A ping went out: time it unless one is already outstanding. */
  pinged(st: ConnectionState): void {
    if (st.pingSentAt === 0) st.pingSentAt = performance.now();
  }

  /** A pong came in. */
  ponged(st: ConnectionState): void {
    if (st.pingSentAt === 0) return;
    st.h.pingRtt.record((performance.now() - st.pingSentAt) / 1000);
    st.pingSentAt = 0;
    st.pingTick = 0;
  }

  /** An 'error' event on an open socket. */
  errored(st: ConnectionState, err: unknown): void {
    this.messages.error(st.h.role, errorTypeOf(err));
  }

  /** An 'error' event on a client socket that never opened: a failed connection attempt. */
  clientFailed(ws: Keyed<WsSocketInternals>, err: unknown): void {
    if (ws[K_CLIENT_FAILED] === true) return;
    ws[K_CLIENT_FAILED] = true;
    this.connections.reject(ROLE_VALUE_CLIENT, clientRejectReason(err));
    this.messages.error(ROLE_VALUE_CLIENT, errorTypeOf(err));
  }

  /** The 'close' event: counts, duration, guard bookkeeping, a close span linked to the upgrade. */
  closed(ws: Keyed<WsSocketInternals>, st: ConnectionState, code: unknown, reason: unknown): void {
    ws[K_STATE] = undefined;
    const c = typeof code === 'number' ? code : 1005;
    this.connections.close(st.h, c, (performance.now() - st.openedAt) / 1000);
    if (st.h.isServer) this.guards.closed(st.userKey);
    const span = this.tracer().startSpan(SPAN_WS_CLOSE, {
      kind: SpanKind.INTERNAL,
      links: st.spanContext ? [{ context: st.spanContext }] : [],
      attributes: { [ATTR_WS_CLOSE_CODE]: c, [ATTR_WS_CLOSE_REASON]: truncateReason(reason) },
    });
    span.end();
  }
}
