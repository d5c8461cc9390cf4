import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { HotMetricRegistry } from '../metrics/hot-metrics';
import { safeCall, withTimeout } from '../internal/safe-call';
import { DISABLED_ALERTS } from '../evaluator/evaluator-area';
import type { AreaClock, AreaComponent, AreaContext, AreaEntry, AreaName } from './area';
import type { AreaHandles } from './area-handles';
import type { OtelSetup } from './otel-setup';

/** What every area context shares. @internal */
export interface CompositionBase {
  config: PulseguardConfig;
  /** The app logger; each area gets a child of it. */
  logger: Logger;
  resource: Resource;
  metrics: HotMetricRegistry;
  producers: readonly MetricProducer[];
  clock: AreaClock;
  otel: OtelSetup;
  shutdown(): Promise<void>;
}

interface Running {
  name: AreaName;
  component: AreaComponent<unknown>;
  instrumentations: Instrumentation[];
  started: boolean;
}

/** The areas of one start(): their handles, and stop() walking the table backwards. @internal */
export interface Composition {
  handle<K extends AreaName>(name: K): AreaHandles[K];
  /** Stops every area that was built, last first; each step bounded by `shutdown.flushTimeoutMs`. */
  stop(): Promise<void>;
}

/**
 * Builds every area of `table` in order, then starts them in order. When a step fails, what
 * already runs is stopped again (last first) and the error is rethrown, so the process is left as
 * it was: nothing patched, no port held, no API global registered.
 */
export async function composeAreas(table: readonly AreaEntry[], base: CompositionBase): Promise<Composition> {
  const handles = new Map<AreaName, unknown>();
  const running: Running[] = [];
  const handle = <K extends AreaName>(name: K): AreaHandles[K] => {
    if (!handles.has(name)) throw new Error(`area "${name}" is used before it is built: check the order of the area table`);
    return handles.get(name) as AreaHandles[K];
  };
  const stopLogger = base.logger.child({ component: 'pulseguard' });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const r of [...running].reverse()) await stopOne(r, base.config.shutdown.flushTimeoutMs, stopLogger);
    })();
    return stopping;
  };
  try {
    for (const entry of table) {
      const r: Running = { name: entry.name, component: { handle: undefined }, instrumentations: [], started: false };
      running.push(r);
      r.component = await entry.build(contextFor(entry, r, base, handle));
      handles.set(entry.name, r.component.handle);
    }
    for (const r of running) {
      r.started = true;
      await r.component.start?.();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { handle, stop };
}

async function stopOne(r: Running, timeoutMs: number, logger: Logger): Promise<void> {
  try {
    await withTimeout(Promise.resolve(r.component.stop?.()), timeoutMs, `${r.name} shutdown`);
  } catch (err) {
    logger.warn({ err, componentName: r.name }, 'component did not shut down cleanly');
  }
  // The provider's shutdown leaves instrumentations patched; unpatch them so a later start() in
  // this process patches afresh instead of finding stale wrappers with dead tracers.
  for (const i of r.instrumentations) safeCall('shutdown', () => i.disable());
}

function contextFor(entry: AreaEntry, r: Running, base: CompositionBase, handle: Composition['handle']): AreaContext<PulseguardConfig> {
  const logger = entry.logName === false ? base.logger : base.logger.child({ component: entry.logName });
  return {
    config: base.config,
    root: base.config,
    logger,
    resource: base.resource,
    metrics: base.metrics,
    producers: base.producers,
    clock: base.clock,
    addMetricReader: (reader) => base.otel.addMetricReader(reader),
    get signals() {
      return base.otel.signals;
    },
    instrument(instrumentations) {
      const { meterProvider, tracerProvider } = base.otel.signals;
      // What the app's own SDK already instruments stays with it (constructed instrumentations
      // are enabled: unpatch those).
      const kept = base.otel.admit(instrumentations);
      for (const i of instrumentations) if (!kept.includes(i)) safeCall('start', () => i.disable());
      r.instrumentations.push(...kept);
      registerInstrumentations({ instrumentations: kept, meterProvider, tracerProvider });
    },
    get limiter() {
      return handle('limits');
    },
    get alerts() {
      return handle('evaluator')?.alerts ?? DISABLED_ALERTS;
    },
    handle,
    shutdown: () => base.shutdown(),
  };
}
