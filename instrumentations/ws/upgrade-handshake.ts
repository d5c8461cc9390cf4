import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Link, type Tracer } from '@opentelemetry/api';
import { safeCall } from '../../src/internal/safe-call';
import type { ConnectionCollector } from './metrics/connection-collector';
import type { WsGuards } from './guards';
import type { Keyed, PendingUpgrade, WsServerInternals } from './internal-types';
import type { WsLivenessPinger } from './liveness-pinger';
import type { TrackerOptions } from './tracker-options';
import { refusalResponse } from './utils';
import { REASON_VALUE_HANDSHAKE_FAILED, ROLE_VALUE_SERVER, SPAN_WS_UPGRADE, WS_COMPONENT } from './semconv';

const K_UPGRADE = Symbol.for('pulseguard.ws.upgrade');

/** What the handshake reads of its tracker (live: setConfig replaces the options). */
interface HandshakeOwner {
  readonly opts: TrackerOptions;
  readonly guards: WsGuards;
  readonly connections: ConnectionCollector;
}

/**
 * The server side of an upgrade, from ws's handleUpgrade to setSocket: the guards' decision, the
 * handshake span, and the connection slot reserved meanwhile, which setSocket takes over
 * (WsConnectionTracker.attach) or a failed handshake gives back. Once per upgrade, never per
 * message. @internal
 */
export class WsUpgradeHandshake {
  /** Set by completeUpgrade's patch, taken by setSocket's (completeUpgrade calls setSocket synchronously). */
  current: PendingUpgrade | undefined;

  constructor(private readonly owner: HandshakeOwner, private readonly pinger: WsLivenessPinger, private readonly tracer: () => Tracer) {}

  /** Before ws handles an upgrade: guards, handshake span. Returns true when the upgrade was refused. */
  before(server: Keyed<WsServerInternals>, req: Keyed<IncomingMessage>, socket: Duplex): boolean {
    this.pinger.ensure(server);
    const { opts, guards, connections } = this.owner;
    const fn = opts.config.userKey;
    const userKey = fn ? safeCall(WS_COMPONENT, fn, req) : undefined;
    const parent = propagation.extract(context.active(), req.headers);
    const active = trace.getActiveSpan();
    const links: Link[] = active ? [{ context: active.spanContext() }] : [];
    const span = this.tracer().startSpan(SPAN_WS_UPGRADE, { kind: SpanKind.SERVER, links, attributes: { 'url.path': req.url ?? '' } }, parent);
    const refusal = guards.checkUpgrade(userKey, Date.now());
    if (refusal) {
      connections.reject(ROLE_VALUE_SERVER, refusal.reason);
      span.setStatus({ code: SpanStatusCode.ERROR, message: refusal.reason });
      span.setAttribute('http.response.status_code', refusal.status);
      span.end();
      if (socket.writable) socket.write(refusalResponse(refusal.status, refusal.retryAfterSeconds));
      socket.destroy();
      return true;
    }
    // Admitted: checkUpgrade reserved a slot, which this record carries until setSocket takes
    // it over (attach) or the handshake fails (fail); `done` makes either happen once.
    req[K_UPGRADE] = { span, userKey, guards, done: false } satisfies PendingUpgrade;
    return false;
  }

  /**
   * After ws's handleUpgrade returned (or threw): an upgrade that ws refused synchronously (bad
   * headers, a sync verifyClient: ws ended or destroyed the socket) is finalized now; one still
   * in an async verifyClient keeps its reservation until setSocket, or until the socket can no
   * longer be upgraded. ws's completeUpgrade drops a socket that is not both readable and
   * writable, so the client's FIN ('end': the server socket is half-open, it does not close
   * until ws decides) already ends the upgrade, as does 'close'.
   */
  after(req: Keyed<IncomingMessage>, socket: Duplex): void {
    const up = req[K_UPGRADE] as PendingUpgrade | undefined;
    if (!up || up.done) return;
    if (!socket.readable || !socket.writable) {
      this.fail(up);
      return;
    }
    const fail = (): void => this.fail(up);
    socket.once('end', fail);
    socket.once('close', fail);
  }

  /** The pending upgrade of a request, for completeUpgrade's patch. */
  pendingOf(req: unknown): PendingUpgrade | undefined {
    return typeof req === 'object' && req !== null ? ((req as Keyed<object>)[K_UPGRADE] as PendingUpgrade | undefined) : undefined;
  }

  private fail(up: PendingUpgrade): void {
    if (up.done) return;
    up.done = true;
    up.guards.release(up.userKey);
    this.owner.connections.reject(ROLE_VALUE_SERVER, REASON_VALUE_HANDSHAKE_FAILED);
    up.span.setStatus({ code: SpanStatusCode.ERROR, message: REASON_VALUE_HANDSHAKE_FAILED });
    up.span.end();
  }
}
