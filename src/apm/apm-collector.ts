import { context, metrics, trace, type Histogram } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { reportInternalError } from '../internal/internal-errors';
import { failSpan } from './span-failure';
import { cutName, NameLimiter } from './name-limiter';
import { createTransaction, type TransactionRecorder } from './transaction';
import {
  ATTR_OPERATION_NAME,
  ATTR_OUTCOME,
  ATTR_PEER_SERVICE,
  DURATION_BUCKETS_SECONDS,
  METRIC_APP_DEPENDENCY_CALLS,
  METRIC_APP_DEPENDENCY_DURATION,
  METRIC_APP_OPERATION_DURATION,
  METRIC_APP_TRANSACTION_DURATION,
  OUTCOME_VALUE_FAILURE,
  OUTCOME_VALUE_SUCCESS,
} from './semconv';
import type { ApmCollector, ApmOptions, DependencyCall } from './types';

const COMPONENT = 'apm';
const DEFAULT_MAX_NAMES = 200;

function durationHistogram(meter: ReturnType<typeof metrics.getMeter>, name: string, description: string): Histogram {
  return meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } });
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Creates the APM helper over OpenTelemetry spans and histograms. Instruments are created once,
 * here; these are app-level, low-rate measurements, so the OTel API meter is fine (the hot-path
 * registry is for per-message work). Names are bounded by `maxNames` per kind.
 */
export function createApmCollector(options: ApmOptions = {}): ApmCollector {
  const meter = options.meter ?? metrics.getMeter('pulseguard');
  const tracer = options.tracer ?? trace.getTracer('pulseguard');
  const now = options.now ?? (() => performance.now());
  const maxNames = options.maxNames ?? DEFAULT_MAX_NAMES;
  const warn = (obj: Record<string, unknown>, msg: string): void => options.logger?.warn(obj, msg);
  const track = options.errors ? (err: unknown) => void options.errors?.track(err) : undefined;

  const transactionDuration = durationHistogram(meter, METRIC_APP_TRANSACTION_DURATION, 'Duration of application transactions.');
  const operationDuration = durationHistogram(meter, METRIC_APP_OPERATION_DURATION, 'Duration of measured application operations.');
  const dependencyDuration = durationHistogram(meter, METRIC_APP_DEPENDENCY_DURATION, 'Duration of calls to dependencies.');
  const dependencyCalls = meter.createCounter(METRIC_APP_DEPENDENCY_CALLS, { description: 'Calls to dependencies.', unit: '{call}' });

  const transactionNames = new NameLimiter('transaction', maxNames, warn);
  const operationNames = new NameLimiter('operation', maxNames, warn);
  const serviceNames = new NameLimiter('dependency service', maxNames, warn);

  const recorder: TransactionRecorder = { tracer, histogram: transactionDuration, now, track };

  function recordOperation(name: string, started: number, outcome: string): void {
    operationDuration.record(Math.max(0, now() - started) / 1000, { [ATTR_OPERATION_NAME]: name, [ATTR_OUTCOME]: outcome });
  }

  return {
    trackTransaction(name) {
      return createTransaction(recorder, cutName(name), transactionNames.resolve(name));
    },

    measureLatency<T>(operation: string, fn: () => T): T {
      // The span keeps its name; only the metric attribute is bounded (cardinality is a metric concern).
      const name = operationNames.resolve(operation);
      const spanName = cutName(operation);
      const span = tracer.startSpan(spanName, { attributes: { [ATTR_OPERATION_NAME]: spanName } });
      const started = now();
      let result: T;
      try {
        result = context.with(trace.setSpan(context.active(), span), fn);
      } catch (err) {
        failSpan(span, err, track);
        recordOperation(name, started, OUTCOME_VALUE_FAILURE);
        span.end();
        throw err;
      }
      if (!isThenable(result)) {
        recordOperation(name, started, OUTCOME_VALUE_SUCCESS);
        span.end();
        return result;
      }
      // Async: measure until the promise settles; the caller gets the settled value or the
      // original rejection, unchanged.
      return Promise.resolve(result).then(
        (value) => {
          recordOperation(name, started, OUTCOME_VALUE_SUCCESS);
          span.end();
          return value;
        },
        (err: unknown) => {
          failSpan(span, err, track);
          recordOperation(name, started, OUTCOME_VALUE_FAILURE);
          span.end();
          throw err;
        },
      ) as T;
    },

    recordDependencyCall(service, call: DependencyCall) {
      try {
        const ms = Number(call?.durationMs);
        const attributes = {
          [ATTR_PEER_SERVICE]: serviceNames.resolve(service),
          [ATTR_OUTCOME]: call?.ok === false ? OUTCOME_VALUE_FAILURE : OUTCOME_VALUE_SUCCESS,
        };
        dependencyCalls.add(1, attributes);
        // Bad data at run time is dropped: the call is counted, the duration is not.
        if (Number.isFinite(ms) && ms >= 0) dependencyDuration.record(ms / 1000, attributes);
        else warn({ service: attributes[ATTR_PEER_SERVICE] }, 'recordDependencyCall: durationMs is not a non-negative number; duration dropped');
      } catch (fault) {
        reportInternalError(COMPONENT, fault);
      }
    },
  };
}
