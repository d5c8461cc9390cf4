import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import type { HotMetricRegistry, ObservedValue } from './hot-metrics';

const bridged = new WeakMap<Meter, Set<string>>();

/**
 * Hands a hot registry's metrics to an OpenTelemetry Meter, for instrumentations used on their own
 * (registered in the app's NodeSDK instead of through start()). The hot path stays plain numbers:
 * each sum and gauge becomes an observable instrument whose callback reads the numbers at collect
 * time, so the SDK is called once per series per collection, never per message or query.
 *
 * Histograms: the OpenTelemetry API has no observable histogram, and recording each value through
 * Histogram.record is the per-call cost the registry exists to avoid. They reach an app's SDK
 * through the producer an app adds to its reader (createPulseguardMetricProducer()), which then
 * delivers the whole registry; the bridge then observes nothing, so nothing is counted twice.
 *
 * `owns` picks the metric names of one instrumentation; families created later are bridged as
 * they appear.
 * @internal
 */
export function bridgeHotMetrics(registry: HotMetricRegistry, meter: Meter, owns: (name: string) => boolean): void {
  let seen = bridged.get(meter);
  if (!seen) {
    const names = new Set<string>();
    seen = names;
    bridged.set(meter, names);
    // Families appear lazily (a pool, a Telegram client seen later): bridge them as they come.
    registry.onNewMetric(() => bridgeNew(registry, meter, owns, names));
  }
  bridgeNew(registry, meter, owns, seen);
}

function bridgeNew(registry: HotMetricRegistry, meter: Meter, owns: (name: string) => boolean, seen: Set<string>): void {
  const { counters, gauges, observers } = registry.families();
  // setMeterProvider may hand the same meter again: one callback per name and meter.
  const take = (name: string): boolean => {
    if (!owns(name) || seen.has(name)) return false;
    seen.add(name);
    return true;
  };
  const observe = (read: () => Iterable<{ value: number; attributes: Attributes }>) => (result: ObservableResult): void => {
    if (registry.deliveredByProducer) return;
    for (const p of read()) result.observe(p.value, p.attributes);
  };
  for (const f of counters) {
    if (!take(f.descriptor.name)) continue;
    const { name, description, unit } = f.descriptor;
    const instrument = f.monotonic ? meter.createObservableCounter(name, { description, unit }) : meter.createObservableUpDownCounter(name, { description, unit });
    instrument.addCallback(observe(() => f.all()));
  }
  for (const f of gauges) {
    if (!take(f.descriptor.name)) continue;
    const { name, description, unit } = f.descriptor;
    meter.createObservableGauge(name, { description, unit }).addCallback(observe(() => f.all()));
  }
  for (const o of observers) {
    if (!take(o.descriptor.name)) continue;
    const { name, description, unit } = o.descriptor;
    const read = (): ObservedValue[] => {
      try {
        return o.read();
      } catch (err) {
        registry.onObserverError(name, err);
        return [];
      }
    };
    const instrument = o.kind === 'gauge' ? meter.createObservableGauge(name, { description, unit })
      : o.kind === 'counter' ? meter.createObservableCounter(name, { description, unit })
        : meter.createObservableUpDownCounter(name, { description, unit });
    instrument.addCallback(observe(read));
  }
}
