import type { Meter, MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { PULSEGUARD_SCOPE } from '../semconv';
import { VERSION } from '../version';
import type { AreaSignals } from './area';

/**
 * The hand-over between the areas that add metric readers and the `otel` area that binds them:
 * sdk-metrics 2.x takes readers only in the MeterProvider constructor, so readers are gathered
 * first and the providers exist from the `otel` area on.
 * @internal
 */
export class OtelSetup {
  private readonly readers: MetricReader[] = [];
  private current: AreaSignals | undefined;

  /** Adds a reader; throws once the providers exist (the area table's order is wrong). */
  addMetricReader(reader: MetricReader): void {
    if (this.current) throw new Error('a metric reader was added after the otel area: move that area before it in the table');
    this.readers.push(reader);
  }

  /** The readers gathered so far, for the provider the `otel` area builds (or attaches them to). */
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
}
