import { bridgeHotMetrics } from '../../src/metrics/meter-bridge';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { createRequire } from 'node:module';
import {
  InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, type InstrumentationModuleFile,
} from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../src/internal/internal-errors';
import { loadedCopies } from '../../src/internal/preloaded-packages';
import { VERSION } from '../../src/version';
import type { CallTracker } from './call-tracker';
import type { TelegramCollectors } from './collectors';
import { lazyTelegramCollectors as telegramCollectors } from './lazy-collectors';
import type { ClientModule, ErrorsModule, SenderLike, SenderModule, UsersModule } from './internal-types';
import type * as ClientPatches from './patches/client-patches';
import type * as InvokePatches from './patches/invoke-patches';
import type { PatchContext } from './patches/patch-context';
import type * as SenderPatches from './patches/sender-patches';
import { SESSION_ERROR_VALUE_TRANSPORT_404 } from './semconv';
import { DEFAULT_CONFIG, type TelegramInstrumentationConfig } from './types';
import type { UpdateSink } from './update-callback';
import type { UpdateHandlerTimer } from './update-handlers';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded when GramJS is, see below */
// The patches and the call tracker load when GramJS itself does (or a cached copy is patched):
// an app with the area on but no GramJS only registers the require hook.
const clientPatches = (): typeof ClientPatches => require('./patches/client-patches');
const invokePatches = (): typeof InvokePatches => require('./patches/invoke-patches');
const senderPatches = (): typeof SenderPatches => require('./patches/sender-patches');
const loadCallTracker = (): typeof import('./call-tracker') => require('./call-tracker');
const loadClientControl = (): typeof import('./client-control') => require('./client-control');
const loadUpdateHandlers = (): typeof import('./update-handlers') => require('./update-handlers');
const loadUpdateCallback = (): typeof import('./update-callback') => require('./update-callback');
/* eslint-enable @typescript-eslint/no-require-imports */

const SUPPORTED = ['>=2.26.0 <3'];
const COMPONENT = 'telegram.instrumentation';

/**
 * OpenTelemetry instrumentation for GramJS (npm `telegram` 2.26.x), the MTProto client.
 * Patches, in CommonJS deep modules (top-level re-exports are getters):
 * - `client/users.js` `invoke`: one span and one duration per call (patches/invoke-patches.ts);
 * - `errors/index.js` `RPCMessageToError`: the raw error code, before GramJS folds it;
 * - `MTProtoSender.prototype` `addStateToQueue`, `send`, `reconnect`, `_connect`: attempts
 *   (silent flood sleeps), keep-alive and upload part round trips, reconnects, connection state
 *   (patches/sender-patches.ts);
 * - `TelegramClient.prototype` `_switchDC`, `checkAuthorization`, `destroy`, `listEventHandlers`,
 *   `removeEventHandler`: migrations, the login probe, clients the app gave up, and the app's
 *   own update handlers (patches/client-patches.ts);
 * - each main sender's update callback (wrapped when the sender is first seen, so a client that
 *   connected before start() is covered too): update counts, delay, staleness, -404 (broken), and
 *   the timing of the app's update handlers (update-handlers.ts).
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
  declare private handlerTimer: UpdateHandlerTimer | undefined;

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
    this.tracker ??= new (loadCallTracker().CallTracker)(telegramCollectors(), () => this.tracer, () => this.getConfig());
    return this.tracker;
  }

  protected init(): InstrumentationNodeModuleDefinition {
    const ctx = this.patchContext();
    const file = (name: string, patch: (exports: never) => unknown, unpatch: (exports: never) => void) =>
      new InstrumentationNodeModuleFile(name, SUPPORTED, patch as (e: unknown) => unknown, unpatch as (e?: unknown) => void);
    const mine = (m: object): boolean => this.owned?.has(m) === true;
    this.fileDefs = [
      file('telegram/client/users.js', (m: UsersModule) => invokePatches().patchInvoke(m, ctx), (m: UsersModule) => {
        if (mine(m)) this._unwrap(m, 'invoke');
      }),
      file('telegram/network/MTProtoSender.js', (m: SenderModule) => senderPatches().patchSender(m, ctx), (m: SenderModule) => {
        if (!mine(m)) return;
        for (const k of senderPatches().SENDER_METHODS) this._unwrap(m.MTProtoSender.prototype, k);
      }),
      file('telegram/errors/index.js', (m: ErrorsModule) => invokePatches().patchErrors(m, ctx), (m: ErrorsModule) => {
        if (mine(m)) this._unwrap(m, 'RPCMessageToError');
      }),
      file('telegram/client/TelegramClient.js', (m: ClientModule) => clientPatches().patchClient(m, ctx), (m: ClientModule) => {
        if (!mine(m)) return;
        for (const k of clientPatches().CLIENT_METHODS) this._unwrap(m.TelegramClient.prototype, k);
      }),
    ];
    return new InstrumentationNodeModuleDefinition('telegram', SUPPORTED, undefined, undefined, this.fileDefs);
  }

  override enable(): void {
    super.enable();
    this.patchPreloaded();
  }

  override disable(): void {
    super.disable();
    // The unpatching above restores prototypes; GramJS keeps each sender's update callback and
    // the app's update handlers on its own objects: put the app's functions back there too.
    // Only the instance whose patches wrapped them (the one that owns the patched modules).
    if (this.owned === undefined) return;
    try {
      loadUpdateCallback().unwrapUpdateCallbacks();
      this.handlerTimer?.restoreAll();
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
  }

  /**
   * GramJS may already be loaded when pulseguard starts (the app imported it first, or a test
   * runner did): require hooks never see those modules, so patch the cached copies directly.
   */
  private patchPreloaded(): void {
    try {
      // No GramJS file loaded (the usual case at start): nothing to patch, and the four
      // resolutions below, which throw when telegram is not installed, are skipped.
      if (loadedCopies('telegram').length === 0) return;
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

  /** What the patch installers share; built once, in init() (the base constructor's call). */
  private patchContext(): PatchContext {
    return {
      wrap: (nodule, name, wrapper) => this._wrap(nodule, name, wrapper),
      own: (m) => {
        this.owned ??= new WeakSet();
        this.owned.add(m);
      },
      calls: () => this.calls(),
      config: () => this.getConfig(),
      updateSink: this.updateSink(),
    };
  }

  /** What wrapped update callbacks report to. */
  private updateSink(): UpdateSink {
    const calls = () => this.calls();
    const timer = (): UpdateHandlerTimer => (this.handlerTimer ??= new (loadUpdateHandlers().UpdateHandlerTimer)({
      collector: () => telegramCollectors().handlers,
      tracer: () => (this.getConfig().spans === false ? undefined : this.tracer),
    }));
    return {
      collectors: () => telegramCollectors(),
      broken: (sender) => {
        const { BROKEN } = loadClientControl();
        (sender as SenderLike & { [BROKEN]?: boolean })[BROKEN] = true;
        if (sender._client) calls().brokenSession(sender._client, SESSION_ERROR_VALUE_TRANSPORT_404);
      },
      beforeDispatch: (client) => timer().wrapHandlers(client),
    };
  }
}
