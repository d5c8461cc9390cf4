import { bridgeHotMetrics } from '../../src/metrics/meter-bridge';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { createRequire } from 'node:module';
import {
  InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped,
  type InstrumentationModuleFile,
} from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../src/internal/internal-errors';
import { VERSION } from '../../src/version';
import { accountOf } from './accounts';
import { AUTH_PROBE, CALL, CallTracker, type CallContext } from './call-tracker';
import { BROKEN, noteClientSession } from './client-control';
import { telegramCollectors, type TelegramCollectors } from './collectors';
import { tagRawRpcError } from './error-classifier';
import { telegramEvents } from './events';
import type {
  ClientLike, ClientModule, ErrorsModule, RequestStateLike, SenderLike, SenderModule, TlRequest, UsersModule,
} from './internal-types';
import type { SenderView } from './metrics/connection-collector';
import { RECONNECT_REASON_VALUE_CONNECTION_LOST, RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT, SESSION_ERROR_VALUE_TRANSPORT_404 } from './semconv';
import { DEFAULT_CONFIG, type TelegramInstrumentationConfig } from './types';
import { wrapUpdateCallback, type UpdateSink } from './update-callback';
import { PING_METHODS, UPLOAD_METHODS } from './utils';

const SUPPORTED = ['>=2.26.0 <3'];
type Own = (m: object, patched: boolean) => void;
const COMPONENT = 'telegram.instrumentation';
const SENDER_VIEW = Symbol.for('pulseguard.telegram.senderView');
// Bumped on every reconnect: a keep-alive ping sent before it is re-sent by GramJS afterwards,
// and its "round trip" would be the outage, not the DC's latency.
const GENERATION = Symbol.for('pulseguard.telegram.senderGeneration');
type SenderState = SenderLike & { [SENDER_VIEW]?: object; [GENERATION]?: number; [BROKEN]?: boolean };

/**
 * OpenTelemetry instrumentation for GramJS (npm `telegram` 2.26.x), the MTProto client.
 * Patches, in CommonJS deep modules (top-level re-exports are getters):
 * - `client/users.js` `invoke`: one span and one duration per call;
 * - `MTProtoSender.prototype.addStateToQueue`: one event per attempt (silent flood sleeps);
 * - `MTProtoSender.prototype.send`: keep-alive round trips, upload flood waits;
 * - `MTProtoSender.prototype.reconnect` / `_connect`: reconnects and connection state;
 * - `errors/index.js` `RPCMessageToError`: the raw error code, before GramJS folds it;
 * - `TelegramClient.prototype._switchDC`: DC migrations; `checkAuthorization`: the login probe
 *   (its AUTH_KEY_UNREGISTERED is not a session error); `destroy`: the monitor lets go;
 * - each main sender's update callback (wrapped when the sender is first seen, so a client that
 *   connected before start() is covered too): update counts, delay, staleness, -404 (broken).
 */
export class TelegramInstrumentation extends InstrumentationBase<TelegramInstrumentationConfig> {
  /**
   * Used on its own (in the app's NodeSDK), the metrics reach the meter it is given: sums and
   * gauges as observable instruments read at collect time (the hot path stays plain numbers);
   * histograms through createPulseguardMetricProducer(). Under start() its producer delivers
   * them and the bridge observes nothing.
   */
  protected override _updateMetricInstruments(): void {
    bridgeHotMetrics(pulseguardMetrics, this.meter, (name) => name.startsWith('telegram.'));
  }

  // `declare`: set lazily, because the base constructor calls init() and enable() before field initialisers run.
  declare private tracker: CallTracker | undefined;
  declare private fileDefs: InstrumentationModuleFile[] | undefined;
  // Modules this instance wrapped: a second instance (tests, a second start()) must not unwrap them.
  declare private owned: WeakSet<object> | undefined;

  constructor(config: TelegramInstrumentationConfig = {}) {
    super('pulseguard-instrumentation-telegram', VERSION, { ...DEFAULT_CONFIG, ...config });
  }

  override setConfig(config: TelegramInstrumentationConfig = {}): void {
    super.setConfig({ ...DEFAULT_CONFIG, ...config });
  }

  /** The collectors this instrumentation feeds (shared process-wide). */
  get collectors(): TelegramCollectors {
    return telegramCollectors();
  }

  private calls(): CallTracker {
    this.tracker ??= new CallTracker(telegramCollectors(), () => this.tracer, () => this.getConfig());
    return this.tracker;
  }

  protected init(): InstrumentationNodeModuleDefinition {
    const file = (name: string, patch: (exports: never) => unknown, unpatch: (exports: never) => void) =>
      new InstrumentationNodeModuleFile(name, SUPPORTED, patch as (e: unknown) => unknown, unpatch as (e?: unknown) => void);
    const own = (m: object, patched: boolean): void => {
      this.owned ??= new WeakSet();
      if (patched) this.owned.add(m);
    };
    const mine = (m: object): boolean => this.owned?.has(m) === true;
    this.fileDefs = [
      file('telegram/client/users.js', (m: UsersModule) => this.patchUsers(m, own), (m: UsersModule) => {
        if (mine(m)) this._unwrap(m, 'invoke');
      }),
      file('telegram/network/MTProtoSender.js', (m: SenderModule) => this.patchSender(m, own), (m: SenderModule) => {
        if (!mine(m)) return;
        for (const k of ['addStateToQueue', 'send', 'reconnect', '_connect'] as const) this._unwrap(m.MTProtoSender.prototype, k);
      }),
      file('telegram/errors/index.js', (m: ErrorsModule) => this.patchErrors(m, own), (m: ErrorsModule) => {
        if (mine(m)) this._unwrap(m, 'RPCMessageToError');
      }),
      file('telegram/client/TelegramClient.js', (m: ClientModule) => this.patchClient(m, own), (m: ClientModule) => {
        if (!mine(m)) return;
        for (const k of ['_switchDC', 'checkAuthorization', 'destroy'] as const) this._unwrap(m.TelegramClient.prototype, k);
      }),
    ];
    return new InstrumentationNodeModuleDefinition('telegram', SUPPORTED, undefined, undefined, this.fileDefs);
  }

  override enable(): void {
    super.enable();
    this.patchPreloaded();
  }

  /**
   * GramJS may already be loaded when pulseguard starts (the app imported it first, or a test
   * runner did): require hooks never see those modules, so patch the cached copies directly.
   */
  private patchPreloaded(): void {
    try {
      const nodeRequire = createRequire(__filename);
      for (const def of this.fileDefs ?? []) {
        let resolved: string;
        try {
          resolved = nodeRequire.resolve(def.name);
        } catch {
          continue; // telegram is not installed
        }
        const cached = nodeRequire.cache[resolved];
        if (!cached?.loaded || def.moduleExports === cached.exports) continue;
        def.moduleExports = cached.exports;
        def.patch(cached.exports);
      }
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
  }

  private patchUsers(m: UsersModule, own: Own): UsersModule {
    if (isWrapped(m.invoke)) return m;
    own(m, true);
    const calls = () => this.calls();
    this._wrap(m, 'invoke', (original) => function invoke(this: unknown, client: ClientLike, request: TlRequest, dcId?: number, otherSender?: SenderLike) {
      // Nested or re-entrant invoke of the same request object: let the outer call own it.
      if (request === null || typeof request !== 'object' || request[CALL] !== undefined) {
        return original.call(this, client, request, dcId, otherSender);
      }
      const ctx = calls().begin(client, request, dcId, otherSender);
      if (!ctx) return original.call(this, client, request, dcId, otherSender);
      request[CALL] = ctx;
      let p: Promise<unknown>;
      try {
        p = original.call(this, client, request, dcId, otherSender);
      } catch (err) {
        request[CALL] = undefined;
        calls().end(ctx, err, true);
        throw err;
      }
      return p.then((result) => {
        request[CALL] = undefined;
        calls().end(ctx, undefined, false);
        return result;
      }, (err: unknown) => {
        request[CALL] = undefined;
        calls().end(ctx, err, true);
        throw err;
      });
    });
    return m;
  }

  private patchSender(m: SenderModule, own: Own): SenderModule {
    const proto = m.MTProtoSender.prototype;
    if (isWrapped(proto.addStateToQueue)) return m;
    own(m, true);
    const calls = () => this.calls();
    const collectors = () => telegramCollectors();
    const config = () => this.getConfig();
    const sink = this.updateSink();
    const adopt = (sender: SenderState): void => {
      try {
        wrapUpdateCallback(sender, sink);
      } catch (err) {
        reportInternalError(COMPONENT, err);
      }
    };
    this._wrap(proto, 'addStateToQueue', (original) => function addStateToQueue(this: SenderLike, state: RequestStateLike) {
      adopt(this);
      const ctx = state?.request?.[CALL] as CallContext | undefined;
      if (ctx !== undefined) calls().attempt(ctx, this, state);
      return original.call(this, state);
    });
    this._wrap(proto, 'send', (original) => function send(this: SenderState, request: TlRequest) {
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
    this._wrap(proto, 'reconnect', (original) => function reconnect(this: SenderState) {
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
    this._wrap(proto, '_connect', (original) => function _connect(this: SenderState) {
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

  private patchErrors(m: ErrorsModule, own: Own): ErrorsModule {
    if (isWrapped(m.RPCMessageToError)) return m;
    own(m, true);
    this._wrap(m, 'RPCMessageToError', (original) => function RPCMessageToError(this: unknown, rpcError: { errorCode: number; errorMessage: string }, request: TlRequest) {
      const err = original.call(this, rpcError, request);
      try {
        tagRawRpcError(err, rpcError?.errorCode, rpcError?.errorMessage);
      } catch (e) {
        reportInternalError(COMPONENT, e);
      }
      return err;
    });
    return m;
  }

  private patchClient(m: ClientModule, own: Own): ClientModule {
    const proto = m.TelegramClient.prototype;
    if (isWrapped(proto._switchDC)) return m;
    own(m, true);
    const calls = () => this.calls();
    this._wrap(proto, '_switchDC', (original) => function _switchDC(this: ClientLike, newDc: number) {
      calls().migration(this, newDc);
      return original.call(this, newDc);
    });
    // GramJS's login flow probes an empty session with updates.GetState and expects
    // AUTH_KEY_UNREGISTERED: mark the client while the probe runs.
    this._wrap(proto, 'checkAuthorization', (original) => function checkAuthorization(this: ClientLike) {
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
    this._wrap(proto, 'destroy', (original) => function destroy(this: ClientLike) {
      const p = original.call(this);
      try {
        if (telegramEvents.active) telegramEvents.emit({ type: 'destroyed', client: this });
      } catch (err) {
        reportInternalError(COMPONENT, err);
      }
      return p;
    });
    return m;
  }

  /** What wrapped update callbacks report to. */
  private updateSink(): UpdateSink {
    const calls = () => this.calls();
    return {
      collectors: () => telegramCollectors(),
      broken: (sender) => {
        (sender as SenderState)[BROKEN] = true;
        if (sender._client) calls().brokenSession(sender._client, SESSION_ERROR_VALUE_TRANSPORT_404);
      },
    };
  }
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
