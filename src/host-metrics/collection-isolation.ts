import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  BatchObservableCallback, BatchObservableResult, Meter, MeterProvider, Observable, ObservableCallback, ObservableResult, Attributes,
} from '@opentelemetry/api';
import { RuntimeNodeInstrumentation, type RuntimeNodeInstrumentationConfig } from '@opentelemetry/instrumentation-runtime-node';
import {
  METRIC_NODEJS_EVENTLOOP_DELAY_MAX, METRIC_NODEJS_EVENTLOOP_DELAY_MEAN, METRIC_NODEJS_EVENTLOOP_DELAY_MIN, METRIC_NODEJS_EVENTLOOP_DELAY_P50,
  METRIC_NODEJS_EVENTLOOP_DELAY_P90, METRIC_NODEJS_EVENTLOOP_DELAY_P99, METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV, METRIC_NODEJS_EVENTLOOP_UTILIZATION,
} from './semconv';

/**
 * Why this file exists: the SDK runs every observable callback on every reader's collect, and
 * runtime-node's event-loop utilization and event-loop delay callbacks measure "since the previous
 * call" (they reset their window on each call). A second reader (the evaluator's) would steal the
 * Prometheus reader's windows and change what /metrics reports.
 *
 * So those callbacks learn who is collecting: the evaluator collects inside
 * {@link runAsEvaluatorCollection} (an AsyncLocalStorage flag that follows the collect's async
 * chain, so concurrent scrapes are unaffected). On the evaluator's collections a stateful callback
 * is not called; it replays what it last reported to the other readers. Every other reader calls
 * it exactly as if the evaluator did not exist.
 */
const evaluatorCollection = new AsyncLocalStorage<true>();

/** Runs `fn` (a reader.collect()) as the evaluator's collection. */
export function runAsEvaluatorCollection<T>(fn: () => Promise<T>): Promise<T> {
  return evaluatorCollection.run(true, fn);
}

/** True inside the evaluator's collection. @internal */
export function isEvaluatorCollection(): boolean {
  return evaluatorCollection.getStore() === true;
}

/** runtime-node instruments whose callbacks keep "since last call" state. */
export const STATEFUL_RUNTIME_METRICS: ReadonlySet<string> = new Set([
  METRIC_NODEJS_EVENTLOOP_UTILIZATION,
  METRIC_NODEJS_EVENTLOOP_DELAY_MIN, METRIC_NODEJS_EVENTLOOP_DELAY_MAX, METRIC_NODEJS_EVENTLOOP_DELAY_MEAN, METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV,
  METRIC_NODEJS_EVENTLOOP_DELAY_P50, METRIC_NODEJS_EVENTLOOP_DELAY_P90, METRIC_NODEJS_EVENTLOOP_DELAY_P99,
]);

type Recorded = { value: number; attributes?: Attributes };

function isolateCallback(cb: ObservableCallback): ObservableCallback {
  let last: Recorded[] = [];
  return async (result: ObservableResult) => {
    if (isEvaluatorCollection()) {
      for (const r of last) result.observe(r.value, r.attributes);
      return;
    }
    const seen: Recorded[] = [];
    await cb({ observe: (value: number, attributes?: Attributes) => { seen.push({ value, attributes }); result.observe(value, attributes); } });
    last = seen;
  };
}

function isolateBatchCallback(cb: BatchObservableCallback): BatchObservableCallback {
  let last: (Recorded & { observable: Observable })[] = [];
  return async (result: BatchObservableResult) => {
    if (isEvaluatorCollection()) {
      for (const r of last) result.observe(r.observable, r.value, r.attributes);
      return;
    }
    const seen: (Recorded & { observable: Observable })[] = [];
    await cb({ observe: (observable: Observable, value: number, attributes?: Attributes) => { seen.push({ observable, value, attributes }); result.observe(observable, value, attributes); } });
    last = seen;
  };
}

/** Wraps a meter so callbacks on the named stateful instruments are isolated from the evaluator. */
export function isolateStatefulMeter(meter: Meter, stateful: ReadonlySet<string> = STATEFUL_RUNTIME_METRICS): Meter {
  const statefulObservables = new WeakSet<Observable>();
  const wrapped = new WeakMap<ObservableCallback | BatchObservableCallback, ObservableCallback & BatchObservableCallback>();
  const patch = <O extends Observable>(name: string, o: O): O => {
    if (!stateful.has(name)) return o;
    statefulObservables.add(o);
    const add = o.addCallback.bind(o);
    const remove = o.removeCallback.bind(o);
    o.addCallback = (cb) => {
      const w = isolateCallback(cb);
      wrapped.set(cb, w as ObservableCallback & BatchObservableCallback);
      add(w);
    };
    o.removeCallback = (cb) => remove((wrapped.get(cb) as ObservableCallback | undefined) ?? cb);
    return o;
  };
  const m = Object.create(meter) as Meter;
  m.createObservableGauge = (name, options) => patch(name, meter.createObservableGauge(name, options));
  m.createObservableCounter = (name, options) => patch(name, meter.createObservableCounter(name, options));
  m.createObservableUpDownCounter = (name, options) => patch(name, meter.createObservableUpDownCounter(name, options));
  m.addBatchObservableCallback = (cb, observables) => {
    if (!observables.some((o) => statefulObservables.has(o))) return meter.addBatchObservableCallback(cb, observables);
    const w = isolateBatchCallback(cb);
    wrapped.set(cb, w as ObservableCallback & BatchObservableCallback);
    meter.addBatchObservableCallback(w, observables);
  };
  m.removeBatchObservableCallback = (cb, observables) =>
    meter.removeBatchObservableCallback((wrapped.get(cb) as BatchObservableCallback | undefined) ?? cb, observables);
  return m;
}

/** A MeterProvider whose meters isolate the stateful runtime callbacks. */
export function isolateStatefulMeterProvider(provider: MeterProvider): MeterProvider {
  return { getMeter: (name, version, options) => isolateStatefulMeter(provider.getMeter(name, version, options)) };
}

/**
 * RuntimeNodeInstrumentation whose stateful callbacks are not disturbed by the evaluator's reader.
 * NodeSDK hands every instrumentation its MeterProvider through setMeterProvider; we wrap it there.
 */
export class IsolatedRuntimeNodeInstrumentation extends RuntimeNodeInstrumentation {
  constructor(config: RuntimeNodeInstrumentationConfig = {}) {
    super(config);
  }
  override setMeterProvider(meterProvider: MeterProvider): void {
    super.setMeterProvider(isolateStatefulMeterProvider(meterProvider));
  }
}
