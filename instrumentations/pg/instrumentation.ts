import { bridgeHotMetrics } from '../../src/metrics/meter-bridge';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { diag } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped } from '@opentelemetry/instrumentation';
import { VERSION } from '../../src/version';
import type { PgInstrumentationConfig } from './types';
import { DEFAULT_CONFIG } from './types';
import type { PatchableClass, PgClientInternals, PgPoolInternals } from './internal-types';
import { unwrapEsmDefault } from '../../src/internal/module-exports';
import { QueryRecorder } from './query-recorder';
import { OperationCollector } from './metrics/operation-collector';
import { PoolCollector, type PoolListener } from './metrics/pool-collector';
import { SlowQueryCollector } from './metrics/slow-query-collector';
import { SlowQueryAnalyzer, type SlowQueryLogger } from './slow-query-analyzer';
import { ExplainRunner, SKIP_INSTRUMENTATION } from './explain-runner';

/** Instrumentation scope name (also used by its diag logger). */
export const PG_INSTRUMENTATION_NAME = 'pulseguard-instrumentation-pg';

/** The recorder of the enabled instrumentation; the patches read it on every call. */
let active: QueryRecorder | undefined;
/** The analyzer of the enabled instrumentation (telemetry.db.slowQueries() reads it). */
let activeAnalyzer: SlowQueryAnalyzer | undefined;

// Process-wide collectors: the hot registry holds each family once, whatever the instance count.
let collectors: { operations: OperationCollector; pools: PoolCollector; slow: SlowQueryCollector } | undefined;
function getCollectors(): NonNullable<typeof collectors> {
  collectors ??= { operations: new OperationCollector(), pools: new PoolCollector(), slow: new SlowQueryCollector() };
  return collectors;
}

const PATCHED = Symbol('pulseguard.pg.patched');
/** The recorder a pool was last registered with (a re-enabled instrumentation registers it again). */
const TRACKED_BY = Symbol('pulseguard.pg.trackedBy');
type Proto = Record<string | symbol, unknown>;

type Fn = (...a: unknown[]) => unknown;
/** What pulseguard's wrapper calls: the function beneath it, which may change (see patchOnce). */
interface Beneath {
  fn: Fn;
}

/**
 * Wraps `proto[name]` once per process, by plain assignment rather than shimmer, and never
 * unwraps. Why: instrumentation-pg uses shimmer's `isWrapped` and *unwraps whatever shimmer
 * wrapper it finds* before wrapping, so a shimmer wrapper of ours would be torn off when it
 * (re)patches, and unwrapping ours would tear off its. A plain function that checks `active`
 * composes in either order; when pulseguard is disabled it is a pass-through.
 *
 * The wrapper is also transparent to shimmer: it looks wrapped exactly when a shimmer wrapper lies
 * beneath it, and unwrapping it removes that one. instrumentation-pg patches `query` twice per
 * load (the 'pg/lib/client.js' hook, then the 'pg' hook, unwrapping its own wrapper first); had
 * ours landed on top in between, its second pass would not see its first wrapper and would stack
 * a second one, so the app's SDK would count every query twice.
 */
function patchOnce(proto: Proto, name: string, make: (beneath: Beneath) => Fn): void {
  const marks = (proto[PATCHED] ??= new Set<string>()) as Set<string>;
  const original = proto[name];
  if (marks.has(name) || typeof original !== 'function') return;
  marks.add(name);
  const beneath: Beneath = { fn: original as Fn };
  const wrapper = make(beneath);
  Object.defineProperties(wrapper, {
    __original: { get: () => beneath.fn, configurable: true },
    __wrapped: { get: () => isWrapped(beneath.fn), configurable: true },
    __unwrap: {
      value: () => {
        if (isWrapped(beneath.fn)) beneath.fn = (beneath.fn as unknown as { __original: Fn }).__original;
      },
      configurable: true,
    },
  });
  proto[name] = wrapper;
}

/** Patches `Client.prototype.query` of a loaded `pg` module (CJS exports or ESM namespace). */
export function patchPgModule(moduleExports: unknown): void {
  const pg = unwrapEsmDefault<{ Client?: PatchableClass }>(moduleExports);
  if (pg?.Client?.prototype === undefined) return;
  patchOnce(pg.Client.prototype, 'query', (beneath) =>
    function query(this: PgClientInternals): unknown {
      const original = beneath.fn;
      const recorder = active;
      // `arguments` rather than rest parameters: V8 passes it to apply() without building an
      // array, and this runs on every query.
      /* eslint-disable prefer-rest-params */
      if (recorder === undefined || (this as unknown as Proto)[SKIP_INSTRUMENTATION] === true) {
        return original.apply(this, arguments as unknown as unknown[]);
      }
      return recorder.run(this, original, arguments as unknown as unknown[]);
      /* eslint-enable prefer-rest-params */
    });
}

/** Patches `Pool.prototype.connect` of a loaded `pg-pool` module so pools are reported. */
export function patchPgPoolModule(moduleExports: unknown): void {
  const Pool = unwrapEsmDefault<PatchableClass | undefined>(moduleExports);
  if (Pool?.prototype === undefined) return;
  patchOnce(Pool.prototype, 'connect', (beneath) =>
    function connect(this: PgPoolInternals): unknown {
      const original = beneath.fn;
      const recorder = active;
      // pool.query() goes through connect() too, so every pool in use is seen here.
      if (recorder !== undefined && (this as unknown as Proto)[TRACKED_BY] !== recorder) {
        (this as unknown as Proto)[TRACKED_BY] = recorder;
        recorder.trackPool(this);
      }
      // eslint-disable-next-line prefer-rest-params -- see query() above
      return original.apply(this, arguments as unknown as unknown[]);
    });
  // An ended pool stops being reported at once (its health check goes with it), not only at the next collect.
  patchOnce(Pool.prototype, 'end', (beneath) =>
    function end(this: PgPoolInternals): unknown {
      const original = beneath.fn;
      collectors?.pools.untrack(this);
      // eslint-disable-next-line prefer-rest-params -- see query() above
      return original.apply(this, arguments as unknown as unknown[]);
    });
}

/** Modules already loaded before the instrumentation was enabled (the app imported pg first). */
function patchPreloaded(): void {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod === undefined || !mod.loaded) continue;
    const f = file.replace(/\\/g, '/');
    if (f.endsWith('/node_modules/pg/lib/index.js')) patchPgModule(mod.exports);
    else if (f.endsWith('/node_modules/pg-pool/index.js')) patchPgPoolModule(mod.exports);
  }
}

const diagLogger: SlowQueryLogger = { warn: (obj, msg) => diag.warn(msg, obj) };

/**
 * pulseguard's lean metrics path for node-postgres (Pool and Client): db.client.operation.duration,
 * the pool's connection count/pending/max read at collect time, slow-query analysis and
 * transaction timing. Spans are not made here: they come from @opentelemetry/instrumentation-pg
 * when enabled (see span-delegate.ts), which composes with these patches in either order.
 */
export class PulseguardPgInstrumentation extends InstrumentationBase<PgInstrumentationConfig & { logger?: SlowQueryLogger }> {
  /**
   * Used on its own (in the app's NodeSDK), the metrics reach the meter it is given: sums and
   * gauges as observable instruments read at collect time (the hot path stays plain numbers);
   * histograms through createPulseguardMetricProducer(). Under start() its producer delivers
   * them and the bridge observes nothing.
   */
  protected override _updateMetricInstruments(): void {
    bridgeHotMetrics(pulseguardMetrics, this.meter, (name) => name.startsWith('db.client.') || name.startsWith('pulseguard.db.'));
  }

  // `declare`: no class-field initializer, because InstrumentationBase calls enable() from its
  // constructor, before subclass initializers would run (and overwrite what enable() set).
  declare private recorder: QueryRecorder | undefined;
  declare private analyzer: SlowQueryAnalyzer | undefined;

  constructor(config: PgInstrumentationConfig & { logger?: SlowQueryLogger } = {}) {
    super(PG_INSTRUMENTATION_NAME, VERSION, { ...DEFAULT_CONFIG, ...config });
  }

  override setConfig(config: PgInstrumentationConfig & { logger?: SlowQueryLogger } = {}): void {
    super.setConfig({ ...DEFAULT_CONFIG, ...config });
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      // The file hook matters: an ESM `import pg from 'pg'` loads pg/lib/index.js without going
      // through require() (so the 'pg' hook never fires without the ESM loader hook), but that
      // file still require()s ./client. It also runs before instrumentation-pg's 'pg' hook
      // re-wraps, which keeps its span wrapper single (see pg-component.ts).
      new InstrumentationNodeModuleDefinition('pg', ['>=8.0.3 <9'], (m: unknown) => {
        patchPgModule(m);
        return m;
      }, undefined, [
        new InstrumentationNodeModuleFile('pg/lib/client.js', ['>=8.0.3 <9'], (m: unknown) => {
          patchPgModule({ Client: m });
          return m;
        }, () => {}),
      ]),
      new InstrumentationNodeModuleDefinition('pg-pool', ['>=2.0.0 <4'], (m: unknown) => {
        patchPgPoolModule(m);
        return m;
      }),
    ];
  }

  override enable(): void {
    super.enable();
    const cfg = { ...DEFAULT_CONFIG, ...this.getConfig() };
    const c = getCollectors();
    const logger = cfg.logger ?? diagLogger;
    this.analyzer = new SlowQueryAnalyzer({
      collector: c.slow,
      logger: cfg.logSlowQueries ? logger : undefined,
      explainer: cfg.explainSlowQueries ? new ExplainRunner(cfg.explainPerMinute) : undefined,
      retentionMs: cfg.slowQueryRetentionMs,
      thresholdMs: cfg.slowQueryThresholdMs,
      transactionThresholdMs: cfg.slowTransactionThresholdMs,
    });
    this.recorder = new QueryRecorder({ operations: c.operations, pools: c.pools, analyzer: this.analyzer, logger, handlePoolErrors: cfg.handlePoolErrors });
    active = this.recorder;
    activeAnalyzer = this.analyzer;
    patchPreloaded();
  }

  override disable(): void {
    super.disable();
    if (active !== undefined && active === this.recorder) {
      active.close();
      active = undefined;
      activeAnalyzer = undefined;
    }
  }

  /** The slow-query analyzer while enabled. */
  get slowQueryAnalyzer(): SlowQueryAnalyzer | undefined {
    return this.analyzer;
  }
}

/**
 * Follows the pools the pg instrumentation reports (tracked at their first connect, untracked at
 * end() or when the instrumentation is disabled); the pools reported now are told at once.
 * Returns the unsubscribe function. @internal
 */
export function watchPools(listener: PoolListener): () => void {
  return getCollectors().pools.subscribe(listener);
}

/** The analyzer of the enabled pulseguard pg instrumentation, if any. @internal */
export function getActiveSlowQueryAnalyzer(): SlowQueryAnalyzer | undefined {
  return activeAnalyzer;
}
