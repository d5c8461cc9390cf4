import type { Meter, TracerProvider, MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { HotMetricRegistry } from '../metrics/hot-metrics';
import type { RateLimitRegistry } from '../limits/limiter-registry';
import type { AlertsApi } from '../evaluator/types';
import type { AreaHandles } from './area-handles';

/** Names of the areas, in no particular order (the order lives in the area table). */
export type AreaName = keyof AreaHandles;

/** Wall-clock milliseconds; injectable so tests can drive time. */
export interface AreaClock {
  now(): number;
}

/**
 * The OpenTelemetry side every area records through: the meter and tracer providers in effect
 * (pulseguard's own, or the app's SDK it attached to) and the readers that collect the stream.
 */
export interface AreaSignals {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: TracerProvider;
  /** pulseguard's scope meter on the provider in effect. */
  readonly meter: Meter;
}

/**
 * What every area is built from: its resolved settings, a child logger, the metric plumbing, a
 * clock, the shared limiter and the alert bus. One shape for all, so areas plug in the same way.
 */
export interface AreaContext<S> {
  /** This area's slice of the resolved configuration (derived once, by the area's `settings`). */
  readonly config: S;
  /** The whole resolved configuration, for the few settings two areas share (service identity). */
  readonly root: PulseguardConfig;
  /** A child of the app logger with `component` set to the area's name. */
  readonly logger: Logger;
  /** The service resource every metric and span carries. */
  readonly resource: Resource;
  /** pulseguard's hot-path registry (plain numbers read at collect time). */
  readonly metrics: HotMetricRegistry;
  /** Producers every reader pulseguard creates must carry (the hot registry's). */
  readonly producers: readonly MetricProducer[];
  /** Adds a reader to the metric stream; only before the `otel` area runs. */
  addMetricReader(reader: MetricReader): void;
  /** Providers and meter; throws when read before the `otel` area ran. */
  readonly signals: AreaSignals;
  /**
   * Enables instrumentations against the providers in effect. The composition disables them
   * again after the area stops (and on a failed start).
   */
  instrument(instrumentations: readonly Instrumentation[]): void;
  readonly clock: AreaClock;
  /** The one limiter (src/limits); throws when read before the `limits` area ran. */
  readonly limiter: RateLimitRegistry;
  /** The evaluator's alert events; a silent bus when rules are disabled. */
  readonly alerts: AlertsApi;
  /** An earlier area's public handle; throws when `name` is later in the table. */
  handle<K extends AreaName>(name: K): AreaHandles[K];
  /** Ends pulseguard (what `telemetry.shutdown()` does), for graceful-shutdown paths. */
  shutdown(): Promise<void>;
}

/** What an area returns: its public handle and its lifecycle. */
export interface AreaComponent<H> {
  readonly handle: H;
  /** Runs once every area is built and the SDK runs. */
  start?(): Promise<void> | void;
  /** Closes what the area opened; called once, in reverse table order. */
  stop?(): Promise<void> | void;
}

/** An area's definition: the settings it reads and how it is built. */
export interface Area<K extends AreaName, S> {
  readonly name: K;
  /**
   * The `component` its logger carries; defaults to the area's name. `false` hands the app logger
   * itself to an area whose parts name their own children.
   */
  readonly logName?: string | false;
  /** Picks (and derives) the settings this area reads from the resolved configuration. */
  settings(config: PulseguardConfig): S;
  create(ctx: AreaContext<S>): AreaComponent<AreaHandles[K]> | Promise<AreaComponent<AreaHandles[K]>>;
}

/** An area with its settings type erased, as the table holds it. */
export interface AreaEntry {
  readonly name: AreaName;
  readonly logName: string | false;
  build(base: AreaContext<PulseguardConfig>): Promise<AreaComponent<unknown>>;
}

/** Declares an area; the table keeps it type-erased, `settings` runs when it is built. */
export function defineArea<K extends AreaName, S>(area: Area<K, S>): AreaEntry {
  return {
    name: area.name,
    logName: area.logName ?? area.name,
    async build(base) {
      const ctx = Object.create(base, { config: { value: area.settings(base.root), enumerable: true } }) as AreaContext<S>;
      return area.create(ctx);
    },
  };
}
