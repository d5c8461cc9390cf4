import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { reportInternalError } from '../../src/internal/internal-errors';
import { redactString, registerSecret } from '../../src/logging/redaction';
import { accountOf } from './accounts';
import { connectionGeneration } from './client-control';
import { classifyError, type ErrorClass } from './error-classifier';
import type { TelegramCollectors } from './collectors';
import { telegramEvents } from './events';
import type { ClientLike, RequestStateLike, SenderLike, TlRequest } from './internal-types';
import {
  ATTR_RPC_METHOD, ATTR_RPC_SYSTEM, ATTR_TELEGRAM_ATTEMPT, ATTR_TELEGRAM_ATTEMPT_OUTCOME, ATTR_TELEGRAM_DC,
  ATTR_TELEGRAM_FLOOD_HANDLING, ATTR_TELEGRAM_FLOOD_KIND, ATTR_TELEGRAM_FLOOD_SECONDS, ATTR_ERROR_TYPE, EVENT_ATTEMPT, EVENT_FLOOD_SLEEP,
  FLOOD_HANDLING_VALUE_AUTO_SLEEP, FLOOD_HANDLING_VALUE_RAISED, FLOOD_HANDLING_VALUE_UPLOAD_SLEEP, FLOOD_KIND_VALUE_SLOWMODE_WAIT,
  ERROR_KIND_VALUE_LIMITED, ERROR_KIND_VALUE_REQUEST, METHOD_CLASS_VALUE_CORE, MIGRATION_REASON_VALUE_MANUAL, RPC_SYSTEM_VALUE_TELEGRAM,
} from './semconv';
import type { InFlightCall } from './metrics/inflight-collector';
import type { TelegramInstrumentationConfig } from './types';
import { MethodNames, UPLOAD_METHODS } from './utils';

const COMPONENT = 'telegram.instrumentation';
/** The in-flight call a request object belongs to (a namespaced Symbol). @internal */
export const CALL = Symbol.for('pulseguard.telegram.call');
/** The migrate error that will make the client switch DC ({family, to}), read by the _switchDC patch. @internal */
export const LAST_MIGRATE = Symbol.for('pulseguard.telegram.lastMigrate');
/** Set on a client while GramJS's checkAuthorization() probes it (login flow). @internal */
export const AUTH_PROBE = Symbol.for('pulseguard.telegram.authProbe');
// GramJS handles FILE_MIGRATE inside downloads with an exported sender, never _switchDC.
const FILE_MIGRATE = 'FILE_MIGRATE';
// The answer checkAuthorization() expects from an empty session: "not logged in", not a fault.
const NOT_AUTHORIZED = 'AUTH_KEY_UNREGISTERED';

interface MigrateTag {
  family: string;
  to: number;
}

/** One client.invoke() call across its attempts. @internal */
export interface CallContext extends InFlightCall {
  readonly client: ClientLike;
  readonly method: string;
  dc: number;
  attempts: number;
  readonly start: number;
  readonly span: Span | undefined;
  lastError: ErrorClass | undefined;
  /** Seconds GramJS slept on flood waits during this call. */
  sleptSeconds: number;
  /** The call is GramJS's checkAuthorization() probe. */
  readonly authProbe: boolean;
  /** The client's connection generation when the call began (client-control.ts). */
  readonly generation: number;
}

/** The TL namespace of a bounded method name (messages.SendMessage -> messages). @internal */
export function methodClassOf(method: string): string {
  const dot = method.indexOf('.');
  return dot > 0 ? method.slice(0, dot) : method.startsWith('_') ? method : METHOD_CLASS_VALUE_CORE;
}

/**
 * The logic behind the patches: a call context per invoke, one span event per attempt (so a
 * silent flood sleep shows as attempt 1 FLOOD_WAIT_3, a 3 s sleep, attempt 2), and the
 * metrics. Every method is contained: a fault is counted, never thrown into GramJS.
 *
 * @internal
 */
export class CallTracker {
  readonly methods: MethodNames;
  private readonly seenClients = new WeakSet<object>();

  constructor(
    private readonly collectors: TelegramCollectors,
    private readonly tracer: () => Tracer,
    private readonly config: () => TelegramInstrumentationConfig,
  ) {
    this.methods = new MethodNames(config().maxMethods ?? 256);
  }

  begin(client: ClientLike, request: TlRequest, dcId: number | undefined, otherSender: SenderLike | undefined): CallContext | undefined {
    try {
      if (!this.seenClients.has(client)) this.registerClientSecrets(client);
      const method = this.methods.bound(request.className);
      const dc = dcId ?? otherSender?.dcId ?? client._sender?.dcId ?? client.session?.dcId ?? 0;
      const span = this.config().spans === false ? undefined : this.tracer().startSpan(method, {
        kind: SpanKind.CLIENT,
        attributes: { [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_TELEGRAM, [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_DC]: dc },
      });
      const ctx: CallContext = {
        client, method, dc, attempts: 0, start: performance.now(), span, lastError: undefined, sleptSeconds: 0,
        authProbe: typeof client[AUTH_PROBE] === 'number' && (client[AUTH_PROBE] as number) > 0,
        methodClass: methodClassOf(method), account: accountOf(client), generation: connectionGeneration(client),
      };
      this.collectors.inflight.add(ctx);
      return ctx;
    } catch (err) {
      reportInternalError(COMPONENT, err);
      return undefined;
    }
  }

  /**
   * Once per client: its api_hash and session string become registered secrets, so the
   * logger censors them wherever they appear (a log line, an error message, an alert).
   */
  private registerClientSecrets(client: ClientLike): void {
    this.seenClients.add(client);
    registerSecret(client.apiHash);
    const saved = client.session?.save?.();
    if (typeof saved === 'string') registerSecret(saved);
  }

  /** One attempt: called from the addStateToQueue patch with the state GramJS will await. */
  attempt(ctx: CallContext, sender: SenderLike, state: RequestStateLike): void {
    try {
      ctx.attempts += 1;
      if (typeof sender.dcId === 'number') ctx.dc = sender.dcId;
      const n = ctx.attempts;
      state.promise?.then(
        () => ctx.span?.addEvent(EVENT_ATTEMPT, { [ATTR_TELEGRAM_ATTEMPT]: n, [ATTR_TELEGRAM_ATTEMPT_OUTCOME]: 'ok' }),
        (err: unknown) => this.attemptFailed(ctx, n, err),
      );
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
  }

  private attemptFailed(ctx: CallContext, n: number, err: unknown): void {
    try {
      const c = classifyError(err);
      ctx.lastError = c;
      ctx.span?.addEvent(EVENT_ATTEMPT, { [ATTR_TELEGRAM_ATTEMPT]: n, [ATTR_TELEGRAM_ATTEMPT_OUTCOME]: c.raw });
      this.collectors.rpc.recordError(ctx.method, c.family, ctx.account);
      if (c.kind === ERROR_KIND_VALUE_LIMITED) this.collectors.limits.record(c.family, ctx.account);
      if (c.flood) {
        // Mirrors users.invoke: FloodWaitError (not SLOWMODE_WAIT) up to floodSleepThreshold is slept.
        const threshold = ctx.client.floodSleepThreshold ?? 60;
        const slept = c.flood.kind !== FLOOD_KIND_VALUE_SLOWMODE_WAIT && c.flood.seconds <= threshold;
        const handling = slept ? FLOOD_HANDLING_VALUE_AUTO_SLEEP : FLOOD_HANDLING_VALUE_RAISED;
        this.collectors.flood.record(ctx.method, c.flood.kind, handling, c.flood.seconds, ctx.account);
        if (slept) {
          ctx.sleptSeconds += c.flood.seconds;
          ctx.span?.addEvent(EVENT_FLOOD_SLEEP, {
            [ATTR_TELEGRAM_FLOOD_KIND]: c.flood.kind, [ATTR_TELEGRAM_FLOOD_SECONDS]: c.flood.seconds, [ATTR_TELEGRAM_FLOOD_HANDLING]: handling,
          });
        }
      }
      if (c.migrateTo !== undefined) this.migrateError(ctx.client, ctx.dc, c);
      if (c.session && !(ctx.authProbe && c.family === NOT_AUTHORIZED)) this.sessionError(ctx.client, c, ctx.method);
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }

  /** The call finished (resolved or rejected). */
  end(ctx: CallContext, err: unknown, failed: boolean): void {
    try {
      const seconds = (performance.now() - ctx.start) / 1000;
      this.collectors.inflight.delete(ctx);
      const c = failed ? (ctx.lastError && ctx.lastError.raw === classifyError(err).raw ? ctx.lastError : classifyError(err)) : undefined;
      this.collectors.rpc.recordCall(ctx.method, ctx.dc, c?.family, seconds, ctx.account);
      // Health latency is the network's and Telegram's: not the flood sleeps GramJS chose to take,
      // nor an outage a call waited through (it finished only after a reconnect).
      const reconnected = connectionGeneration(ctx.client) !== ctx.generation;
      if (!reconnected) {
        const latency = Math.max(0, seconds - ctx.sleptSeconds);
        this.collectors.rpc.recordLatency(ctx.method, latency, ctx.account);
        if (!failed) this.collectors.recordLatencyMs(latency * 1000);
      }
      const span = ctx.span;
      if (span) {
        span.setAttribute(ATTR_TELEGRAM_DC, ctx.dc);
        if (c) {
          span.setAttribute(ATTR_ERROR_TYPE, c.family);
          span.setStatus({ code: SpanStatusCode.ERROR, message: redactString(c.raw) });
        }
        span.end();
      }
      const errorKind = c === undefined ? undefined : ctx.authProbe && c.family === NOT_AUTHORIZED ? ERROR_KIND_VALUE_REQUEST : c.kind;
      const info = {
        method: ctx.method, dc: ctx.dc, attempts: ctx.attempts, error: c?.family, durationSeconds: seconds,
        floodSleepSeconds: ctx.sleptSeconds, errorKind, account: ctx.account, reconnected,
      };
      const hook = this.config().onRpc;
      if (hook) {
        try {
          hook(info);
        } catch (hookErr) {
          reportInternalError('telegram.onRpc', hookErr);
        }
      }
      if (telegramEvents.active) telegramEvents.emit({ type: 'rpc', client: ctx.client, info });
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }

  /** A request sent with sender.send() (uploads, InitConnection, exported senders) failed. */
  sendFailed(sender: SenderLike, request: TlRequest, err: unknown): void {
    try {
      const method = this.methods.bound(request.className);
      const c = classifyError(err);
      if (c.code === 0) return; // disconnects and timeouts are counted as reconnects, not RPC errors
      const account = accountOf(sender._client);
      this.collectors.rpc.recordError(method, c.family, account);
      if (c.kind === ERROR_KIND_VALUE_LIMITED) this.collectors.limits.record(c.family, account);
      if (c.flood) {
        const handling = UPLOAD_METHODS.has(method) ? FLOOD_HANDLING_VALUE_UPLOAD_SLEEP : FLOOD_HANDLING_VALUE_RAISED;
        this.collectors.flood.record(method, c.flood.kind, handling, c.flood.seconds, account);
      }
      if (c.session && sender._client) this.sessionError(sender._client, c, method);
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }

  /**
   * A *_MIGRATE_N error. FILE_MIGRATE is counted here, because GramJS follows it inside downloads
   * without _switchDC; the others are tagged with their target DC for the _switchDC patch, which
   * uses the tag only when the switch goes there (a stale tag never labels a later switch).
   */
  private migrateError(client: ClientLike, fromDc: number, c: ErrorClass): void {
    if (c.family === FILE_MIGRATE) {
      this.collectors.connection.recordMigration(fromDc, c.migrateTo ?? 0, c.family);
      return;
    }
    client[LAST_MIGRATE] = { family: c.family, to: c.migrateTo } as MigrateTag;
  }

  /** The transport error -404 (GramJS's UpdateConnectionState.broken): a session error, the key is gone. */
  brokenSession(client: ClientLike, code: string): void {
    try {
      this.sessionError(client, { family: code, raw: code, code: -404, session: true, kind: 'session' }, METHOD_CLASS_VALUE_CORE);
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }

  private sessionError(client: ClientLike, c: ErrorClass, method: string): void {
    this.collectors.connection.recordSessionError(c.family, accountOf(client));
    const info = { code: c.family, rpcCode: c.code, method };
    const hook = this.config().onSessionError;
    if (hook) {
      try {
        hook(info);
      } catch (hookErr) {
        reportInternalError('telegram.onSessionError', hookErr);
      }
    }
    if (telegramEvents.active) telegramEvents.emit({ type: 'session_error', client, info });
  }

  /** _switchDC was called: count the migration with the migrate error that caused it. */
  migration(client: ClientLike, to: number): void {
    try {
      const from = client.session?.dcId ?? client._sender?.dcId ?? 0;
      const tag = client[LAST_MIGRATE] as MigrateTag | undefined;
      const reason = tag !== undefined && tag.to === to ? tag.family : MIGRATION_REASON_VALUE_MANUAL;
      client[LAST_MIGRATE] = undefined;
      this.collectors.connection.recordMigration(from, to, reason);
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }
}
