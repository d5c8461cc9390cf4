import { bridgeHotMetrics } from '../../src/metrics/meter-bridge';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped } from '@opentelemetry/instrumentation';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { reportInternalError } from '../../src/internal/internal-errors';
import { exportedClass, unwrapEsmDefault } from '../../src/internal/module-exports';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { VERSION } from '../../src/version';
import { MESSAGE_DELIVER, MESSAGE_OBSERVE_TIMED, MESSAGE_REFUSED, WsConnectionTracker } from './connection-tracker';
import { K_STATE } from './connection-state-key';
import { countingDispatch, FRAMES, rewireSenders, unwireSenders, wireSender } from './frame-size';
import { installSendPatches, observeEvent, sendPatchInstallers, senderWiring, wireOpened } from './socket-wiring';
import { DEFAULT_WS_CONFIG, resolveTrackerOptions } from './tracker-options';
import type { ConnectionState, WsServerPrototype, WsSocketInternals, WsSocketPrototype } from './internal-types';
import { reconnectWithBackoff } from './reconnect';
import { WS_COMPONENT, WS_INSTRUMENTATION_NAME } from './semconv';
import type { ReconnectOptions, WebSocketTelemetry, WsHealthSnapshot, WsInstrumentationConfig } from './types';

const SUPPORTED = ['>=8.0.0 <9'];

/**
 * The tracker the installed patches report to. Prototypes are patched once per process (a
 * marker makes it idempotent); the most recently enabled instrumentation receives the events.
 */
let activeTracker: WsConnectionTracker | undefined;
/** Prototypes patched in this process (shared by every instance: patches are process-wide). */
const patchedPrototypes = new Set<object>();

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type State = ConnectionState | undefined;

/**
 * OpenTelemetry instrumentation for `ws` 8.x, server and client: connection, message, latency,
 * ping and error metrics on the hot registry (read at collect time, no SDK call per message),
 * upgrade and close spans, optional per-message spans, the spec's guards and health.
 */
export class WsInstrumentation extends InstrumentationBase<WsInstrumentationConfig> {
  /**
   * Used on its own (in the app's NodeSDK), the metrics reach the meter it is given: sums and
   * gauges as observable instruments read at collect time (the hot path stays plain numbers);
   * histograms through createPulseguardMetricProducer(). Under start() its producer delivers
   * them and the bridge observes nothing.
   */
  protected override _updateMetricInstruments(): void {
    bridgeHotMetrics(pulseguardMetrics, this.meter, (name) => name.startsWith('websocket.'));
  }

  // `declare`: InstrumentationBase calls init()/enable() from its constructor, before class
  // fields would be initialized; a plain field would reset the tracker afterwards.
  private declare _tracker: WsConnectionTracker | undefined;

  constructor(config: WsInstrumentationConfig = {}) {
    super(WS_INSTRUMENTATION_NAME, VERSION, { ...DEFAULT_WS_CONFIG, ...config });
    // Retired: the instrumentation no longer judges a status (the evaluator's rules do).
    if ((config as { health?: unknown }).health !== undefined) {
      this._diag.warn('the `health` option was removed: the rules WebSocketErrorRateHigh (thresholds.websocket.errorRate) and ConnectionDropsHigh '
        + '(thresholds.alertConfig.connections) judge the WebSocket health; set healthWindowMs for the window of the figures');
    }
  }

  override setConfig(config: WsInstrumentationConfig = {}): void {
    super.setConfig({ ...DEFAULT_WS_CONFIG, ...config });
    this._tracker?.reconfigure(resolveTrackerOptions(this.getConfig()));
    if (this._tracker !== undefined && this._tracker === activeTracker && this._tracker.opts.sendExtras) installSendPatches();
  }

  /** The tracker (metrics, guards, health); created on first use. @internal */
  get tracker(): WsConnectionTracker {
    this._tracker ??= new WsConnectionTracker(pulseguardMetrics, resolveTrackerOptions(this.getConfig()), () => this.tracer);
    return this._tracker;
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const socketFile = new InstrumentationNodeModuleFile('ws/lib/websocket.js', SUPPORTED,
      (exports: unknown) => {
        const socket = exportedClass<WsSocketPrototype>(exports);
        if (socket) this.patchSocket(socket.prototype);
        // An ESM import of ws loads lib/websocket-server.js without require(), so no hook sees
        // it; it is in the CJS cache once the import graph has evaluated: patch it from there.
        process.nextTick(() => { if (this.isEnabled()) this.patchLoaded(); });
        return exports;
      },
      (exports?: unknown) => { const socket = exportedClass<WsSocketPrototype>(exports); if (socket) this.unpatchSocket(socket.prototype); });
    const serverFile = new InstrumentationNodeModuleFile('ws/lib/websocket-server.js', SUPPORTED,
      (exports: unknown) => { const server = exportedClass<WsServerPrototype>(exports); if (server) this.patchServer(server.prototype); return exports; },
      (exports?: unknown) => { const server = exportedClass<WsServerPrototype>(exports); if (server) this.unpatchServer(server.prototype); });
    return [new InstrumentationNodeModuleDefinition('ws', SUPPORTED,
      (exports: unknown) => { this.patchExports(exports); return exports; },
      (exports: unknown) => { if (exports) this.unpatchExports(exports); },
      [socketFile, serverFile])];
  }

  override enable(): void {
    super.enable();
    activeTracker = this.tracker;
    this.tracker.activate();
    senderWiring.patch = (sender) => {
      this._wrap(sender as Record<string, never>, 'dispatch', (original) => countingDispatch(original as Fn) as never);
      if (typeof sender.getBlobData === 'function') this._wrap(sender as Record<string, never>, 'getBlobData', (original) => countingDispatch(original as Fn, true) as never);
    };
    rewireSenders(senderWiring.patch);
    this.patchLoaded();
  }

  override disable(): void {
    super.disable();
    // Only the instrumentation that receives the events removes the (shared) patches.
    if (activeTracker !== undefined && activeTracker === this._tracker) {
      for (const proto of patchedPrototypes) {
        if ('completeUpgrade' in proto) this.unpatchServer(proto as WsServerPrototype);
        else this.unpatchSocket(proto as WsSocketPrototype);
      }
      patchedPrototypes.clear();
      sendPatchInstallers.clear();
      unwireSenders((proto) => {
        for (const name of ['dispatch', 'getBlobData'] as const) if (isWrapped(proto[name])) this._unwrap(proto as Record<string, never>, name);
      });
      activeTracker = undefined;
    }
    this._tracker?.stop();
  }

  /** The spec's WebSocket health figures now (they feed `/health/websocket`, whose status the rules judge). */
  health(): WsHealthSnapshot {
    return this.tracker.healthMonitor.snapshot();
  }

  /** The spec's reconnect procedure, counted in websocket.reconnects with a span per attempt. */
  reconnectWithBackoff<S>(options: ReconnectOptions<S>): Promise<S> {
    return reconnectWithBackoff(options, this.tracker.reconnects, this.tracer);
  }

  /** `telemetry.websocket`. */
  api(): WebSocketTelemetry {
    return { health: () => this.health(), reconnectWithBackoff: (o) => this.reconnectWithBackoff(o) };
  }

  /** ws was imported before the hooks were installed (or by ESM): patch the copies already loaded. */
  private patchLoaded(): void {
    try {
      const cache = require.cache;
      for (const [file, mod] of Object.entries(cache)) {
        if (!mod || !/[\\/]ws[\\/]lib[\\/]websocket(-server)?\.js$/.test(file)) continue;
        const proto = (mod.exports as { prototype?: Record<string | symbol, unknown> }).prototype;
        if (!proto) continue;
        if (file.endsWith('server.js')) this.patchServer(proto as WsServerPrototype);
        else this.patchSocket(proto as WsSocketPrototype);
      }
    } catch (err) {
      reportInternalError(WS_COMPONENT, err);
    }
  }

  private patchExports(exports: unknown): void {
    const ws = unwrapEsmDefault<{ prototype?: WsSocketPrototype; WebSocketServer?: { prototype: WsServerPrototype } }>(exports);
    const ns = exports as { WebSocket?: { prototype: WsSocketPrototype }; WebSocketServer?: { prototype: WsServerPrototype } };
    const socket = ns.WebSocket?.prototype ?? ws.prototype;
    const server = ns.WebSocketServer?.prototype ?? ws.WebSocketServer?.prototype;
    if (socket) this.patchSocket(socket);
    if (server) this.patchServer(server);
  }

  private unpatchExports(exports: unknown): void {
    const ws = unwrapEsmDefault<{ prototype?: WsSocketPrototype; WebSocketServer?: { prototype: WsServerPrototype } }>(exports);
    if (ws.prototype) this.unpatchSocket(ws.prototype);
    if (ws.WebSocketServer) this.unpatchServer(ws.WebSocketServer.prototype);
  }

  private remember(proto: object): void {
    patchedPrototypes.add(proto);
  }

  private patchSocket(proto: WsSocketPrototype): void {
    if (typeof proto.setSocket !== 'function' || isWrapped(proto.setSocket)) return;
    this.remember(proto);
    this._wrap(proto, 'setSocket', (original) => function setSocket(this: WsSocketInternals, ...args: unknown[]) {
      // Attach first: setSocket emits 'open', and sends made in 'open' listeners must be counted.
      const t = activeTracker;
      if (t) {
        try { t.attach(this as WsSocketInternals & Record<symbol, unknown>); } catch (err) { reportInternalError(WS_COMPONENT, err); }
      }
      const result = (original as Fn).apply(this, args);
      // ws emits 'open' in setSocket, which wires the Sender (observeEvent); this covers an 'open' that did not pass there.
      const st = (this as WsSocketInternals & Record<symbol, unknown>)[K_STATE] as State;
      if (t !== undefined && t === activeTracker && st !== undefined) {
        try { wireOpened(t, this as WsSocketInternals & Record<symbol, unknown>, st); } catch (err) { reportInternalError(WS_COMPONENT, err); }
      }
      return result;
    } as never);
    // Hot path: kept small, so that V8 inlines it into ws's receiverOnMessage and, within the
    // same inlining budget, EventEmitter#emit into it: a plain message is delivered from here.
    // `arguments` is passed through untouched for every other event, so ws and the app see
    // exactly what they would without pulseguard.
    this._wrap(proto, 'emit', (original) => function emit(this: WsSocketInternals & Record<symbol, unknown>, event: unknown, a: unknown, b: unknown) {
      const t = activeTracker;
      if (t !== undefined) {
        if (event === 'message') {
          // Read at a site of its own: sockets pass their other events in many more shapes
          // (before the upgrade, while ws sets them up), which would make it megamorphic.
          const st = this[K_STATE] as State;
          if (st !== undefined) {
            const how = t.received(this, st, a, b);
            if (how === MESSAGE_DELIVER) {
              try {
                return (original as Fn).call(this, 'message', a, b);
              } catch (err) {
                t.handlerFailed(st);
                throw err;
              }
            }
            if (how === MESSAGE_REFUSED) return false;
            return t.deliverObserved(this, st, original as Fn as (this: unknown, ...x: unknown[]) => boolean, a, b, how === MESSAGE_OBSERVE_TIMED);
          }
        } else {
          observeEvent(t, this, event, a, b);
        }
      }
      // eslint-disable-next-line prefer-rest-params -- forward the exact arguments
      return (original as Fn).apply(this, arguments as unknown as unknown[]);
    } as never);
    // Installed only where a send has work (installSendPatches): a Sender that cannot count its
    // frames (before ws 8.5), correlation ids, send spans. The three parameters are passed on
    // with `call`, not `arguments`: ws 8's send(data, options, cb) reads exactly these (it
    // normalises a function `options` itself), so it sees the same values, and V8 builds no
    // arguments object per send.
    sendPatchInstallers.add(() => { if (!isWrapped(proto.send)) this._wrap(proto, 'send', (original) => function send(this: WsSocketInternals & Record<symbol, unknown>, data: unknown, options: unknown, cb: unknown) {
      const st = this[K_STATE] as State;
      const t = activeTracker;
      if (st !== undefined && t !== undefined && (st.framed !== FRAMES.epoch || t.opts.sendExtras) && this.readyState === 1) {
        try {
          const patch = senderWiring.patch;
          if (st.framed !== FRAMES.epoch && (patch === undefined || !wireSender(this._sender, st, patch))) t.sent(st, data, options);
          if (t.opts.sendExtras) t.sentExtras(st, data);
        } catch (err) { reportInternalError(WS_COMPONENT, err); }
      }
      return (original as Fn).call(this, data, options, cb);
    } as never); });
    this._wrap(proto, 'ping', (original) => function ping(this: WsSocketInternals & Record<symbol, unknown>) {
      const st = this[K_STATE] as State;
      if (st !== undefined && activeTracker !== undefined && this.readyState === 1) {
        try { activeTracker.pinged(st); } catch (err) { reportInternalError(WS_COMPONENT, err); }
      }
      // eslint-disable-next-line prefer-rest-params -- forward the exact arguments
      return (original as Fn).apply(this, arguments as unknown as unknown[]);
    } as never);
  }

  private unpatchSocket(proto: WsSocketPrototype): void {
    for (const name of ['setSocket', 'emit', 'send', 'ping'] as const) if (isWrapped(proto[name])) this._unwrap(proto, name);
    // The wrapped emit was an own property; unwrapping restores EventEmitter's through the chain.
  }

  private patchServer(proto: WsServerPrototype): void {
    if (typeof proto.handleUpgrade !== 'function' || isWrapped(proto.handleUpgrade)) return;
    this.remember(proto);
    this._wrap(proto, 'handleUpgrade', (original) => function handleUpgrade(this: WsServerPrototype, req: IncomingMessage, socket: Duplex) {
      const t = activeTracker;
      let refused = false;
      if (t) {
        try { refused = t.upgrades.before(this, req as IncomingMessage & Record<symbol, unknown>, socket); } catch (err) { reportInternalError(WS_COMPONENT, err); }
      }
      if (refused) return undefined;
      try {
        // eslint-disable-next-line prefer-rest-params -- forward the exact arguments
        return (original as Fn).apply(this, arguments as unknown as unknown[]);
      } finally {
        // Also when ws threw: the upgrade's reservation must end (upgrades.after finalizes it).
        if (t) {
          try { t.upgrades.after(req as IncomingMessage & Record<symbol, unknown>, socket); } catch (err) { reportInternalError(WS_COMPONENT, err); }
        }
      }
    } as never);
    this._wrap(proto, 'completeUpgrade', (original) => function completeUpgrade(this: WsServerPrototype, ...args: unknown[]) {
      const t = activeTracker;
      // completeUpgrade(extensions, key, protocols, req, socket, head, cb) calls setSocket synchronously.
      if (t) t.upgrades.current = t.upgrades.pendingOf(args[3]);
      try {
        return (original as Fn).apply(this, args);
      } finally {
        if (t) t.upgrades.current = undefined;
      }
    } as never);
  }

  private unpatchServer(proto: WsServerPrototype): void {
    for (const name of ['handleUpgrade', 'completeUpgrade'] as const) if (isWrapped(proto[name])) this._unwrap(proto, name);
  }
}

/** Creates the `ws` instrumentation (add it to the NodeSDK's instrumentations, or let start() do it). */
export function createWsInstrumentation(config: WsInstrumentationConfig = {}): WsInstrumentation {
  return new WsInstrumentation(config);
}
