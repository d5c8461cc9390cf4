import { AggregationTemporality, InstrumentType, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import { VERSION as SDK_METRICS_VERSION } from '@opentelemetry/sdk-metrics/build/src/version';

/**
 * The one place pulseguard reads sdk-metrics internals, to join an SDK the app already runs.
 * sdk-metrics 2.x has no public way to add a reader or a producer to a running MeterProvider
 * (readers and their producers are constructor-only), so this reads three fields, checked by
 * shape at run time and only trusted at the version they were read from:
 * - `MeterProvider._sharedState.metricCollectors`: one MetricCollector per reader;
 * - `MeterProvider._sharedState.meterSharedStates`: one entry per instrumentation scope;
 * - `MetricReader._metricProducers`: the extra producers a reader merges in.
 * When a check fails, callers fall back and say so (see otel-area.ts).
 * @internal
 */

/** The sdk-metrics version these fields were read from. */
export const SUPPORTED_SDK_METRICS_VERSION = '2.12.0';

interface CollectorShape extends MetricProducer {
  _metricReader: MetricReader;
  selectAggregationTemporality(type: InstrumentType): AggregationTemporality;
}
interface SharedStateShape {
  metricCollectors: CollectorShape[];
  meterSharedStates: Map<string, unknown>;
}

/** What pulseguard needs of a MeterProvider the app registered. */
export interface ForeignMeterProvider {
  /** Instrumentation scope names that have a meter on it (e.g. '@opentelemetry/instrumentation-http'). */
  scopes(): ReadonlySet<string>;
  /**
   * The app's stream, read through one of its cumulative collectors. Reading a cumulative stream
   * again changes nothing for its own reader (its totals are kept per collector); a delta one
   * would be stolen from, so none is returned when every reader is delta.
   */
  cumulativeStream(): MetricProducer | undefined;
  /** The app's readers (its exporters). */
  readers(): MetricReader[];
}

function sharedStateOf(provider: unknown): SharedStateShape | undefined {
  const state = (provider as { _sharedState?: Partial<SharedStateShape> } | null)?._sharedState;
  if (!state || !Array.isArray(state.metricCollectors) || !(state.meterSharedStates instanceof Map)) return undefined;
  for (const c of state.metricCollectors) {
    if (typeof c?.collect !== 'function' || typeof c.selectAggregationTemporality !== 'function' || typeof c._metricReader?.collect !== 'function') return undefined;
  }
  return state as SharedStateShape;
}

/** Reads `provider` as an sdk-metrics MeterProvider, or undefined when its shape (or our version) is not the one known. */
export function inspectMeterProvider(provider: unknown): ForeignMeterProvider | undefined {
  if (SDK_METRICS_VERSION !== SUPPORTED_SDK_METRICS_VERSION) return undefined;
  const state = sharedStateOf(provider);
  if (!state) return undefined;
  return {
    scopes: () => new Set([...state.meterSharedStates.keys()].map((id) => id.slice(0, id.indexOf(':')))),
    cumulativeStream: () => state.metricCollectors.find((c) =>
      [InstrumentType.COUNTER, InstrumentType.HISTOGRAM, InstrumentType.OBSERVABLE_COUNTER]
        .every((t) => c.selectAggregationTemporality(t) === AggregationTemporality.CUMULATIVE)),
    readers: () => state.metricCollectors.map((c) => c._metricReader),
  };
}

/** Adds `producer` to a running reader's extra producers; false when the reader's shape is unknown. */
export function addReaderProducer(reader: MetricReader, producer: MetricProducer): boolean {
  const list = (reader as unknown as { _metricProducers?: unknown })._metricProducers;
  if (!Array.isArray(list)) return false;
  if (!list.includes(producer)) list.push(producer);
  return true;
}

/** Takes `producer` out of a reader's extra producers again. */
export function removeReaderProducer(reader: MetricReader, producer: MetricProducer): void {
  const list = (reader as unknown as { _metricProducers?: unknown })._metricProducers;
  if (!Array.isArray(list)) return;
  const i = list.indexOf(producer);
  if (i >= 0) list.splice(i, 1);
}
