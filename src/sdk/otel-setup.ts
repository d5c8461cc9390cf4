import type { Meter, MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { PULSEGUARD_SCOPE } from '../semconv';
import { VERSION } from '../version';
import type { AreaSignals } from './area';
import { hotMetricsDuplicatedBy } from './app-sdk-duplicates';

/**
 * The hand-over between the areas that add metric readers, the `otel` area that binds them, and
 * the areas that instrument: readers are gathered first (sdk-metrics binds a reader once), the
 * providers exist from the `otel` area on, and what the app's own SDK already records is known
 * here so pulseguard does not record it a second time.
 * @internal
 */
export class OtelSetup {
  private readonly readers: MetricReader[] = [];
  private readonly instrumentations: Instrumentation[] = [];
  private current: AreaSignals | undefined;
  private scopes: ReadonlySet<string> = new Set();
  private excluded: ReadonlySet<string> = new Set();

  /** Adds a reader; throws once the providers exist (the area table's order is wrong). */
  addMetricReader(reader: MetricReader): void {
    if (this.current) throw new Error('a metric reader was added after the otel area: move that area before it in the table');
    this.readers.push(reader);
  }

  /** The readers gathered so far, for the `otel` area to bind. */
  takeReaders(): readonly MetricReader[] {
    return this.readers;
  }

  /** Records the providers in effect; areas read them through {@link signals}. */
  setProviders(meterProvider: MeterProvider, tracerProvider: TracerProvider): void {
    const meter: Meter = meterProvider.getMeter(PULSEGUARD_SCOPE, VERSION);
    this.current = { meterProvider, tracerProvider, meter };
  }

  /** The providers in effect; throws when read before the `otel` area ran. */
  get signals(): AreaSignals {
    if (!this.current) throw new Error('OpenTelemetry providers used before the otel area: move that area after it in the table');
    return this.current;
  }

  /**
   * The instrumentation scopes the app's own SDK records (its instrumentations' meters). From now
   * on, pulseguard's instrumentations of the same scope stand aside (`neutralize` is called for
   * those already enabled) and the hot metrics they duplicate are left out of every stream.
   */
  setAppScopes(scopes: ReadonlySet<string>, neutralize: (instrumentations: readonly Instrumentation[]) => void): void {
    this.scopes = scopes;
    this.excluded = hotMetricsDuplicatedBy(scopes);
    neutralize(this.instrumentations.filter((i) => scopes.has(i.instrumentationName)));
  }

  /** Keeps those of `instrumentations` the app's SDK does not already provide, and remembers them. */
  admit(instrumentations: readonly Instrumentation[]): Instrumentation[] {
    const kept = instrumentations.filter((i) => !this.scopes.has(i.instrumentationName));
    this.instrumentations.push(...kept);
    return kept;
  }

  /**
   * Points pulseguard's instrumentations at the app's TracerProvider, once the app registered one
   * after pulseguard: their spans then go where the app's go.
   */
  retarget(tracerProvider: TracerProvider): void {
    for (const i of this.instrumentations) if (!this.scopes.has(i.instrumentationName)) i.setTracerProvider(tracerProvider);
    if (this.current) this.current = { ...this.current, tracerProvider };
  }

  /** Hot metric names left out because the app's SDK records them (read at every collect). */
  excludedHotMetrics(): ReadonlySet<string> {
    return this.excluded;
  }

}
