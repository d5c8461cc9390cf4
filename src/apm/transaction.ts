import { context, trace, type Histogram, type Tracer } from '@opentelemetry/api';
import { failSpan } from './span-failure';
import { ATTR_OUTCOME, ATTR_TRANSACTION_NAME, OUTCOMES, OUTCOME_VALUE_FAILURE, OUTCOME_VALUE_SUCCESS } from './semconv';
import type { Outcome, Transaction } from './types';

/** What a transaction records into (shared by every transaction of one collector). @internal */
export interface TransactionRecorder {
  tracer: Tracer;
  histogram: Histogram;
  now: () => number;
  track: ((err: unknown) => void) | undefined;
}

const KNOWN_OUTCOMES: ReadonlySet<string> = new Set(OUTCOMES);

/**
 * Starts one transaction: a span now, a duration measurement at end/fail. The span carries the
 * name as given (`name`); the metric carries `metricName`, bounded by the collector. @internal
 */
export function createTransaction(rec: TransactionRecorder, name: string, metricName: string): Transaction {
  const span = rec.tracer.startSpan(name, { attributes: { [ATTR_TRANSACTION_NAME]: name } });
  const started = rec.now();
  let ended = false;

  function finish(outcome: string): void {
    ended = true;
    span.setAttribute(ATTR_OUTCOME, outcome);
    rec.histogram.record(Math.max(0, rec.now() - started) / 1000, { [ATTR_TRANSACTION_NAME]: metricName, [ATTR_OUTCOME]: outcome });
    span.end();
  }

  return {
    name,
    span,
    get ended() {
      return ended;
    },
    run<T>(fn: () => T): T {
      return context.with(trace.setSpan(context.active(), span), fn);
    },
    end(outcome?: Outcome) {
      if (ended) return;
      // An outcome outside the closed set is recorded as failure rather than as a new series.
      finish(outcome === undefined ? OUTCOME_VALUE_SUCCESS : KNOWN_OUTCOMES.has(outcome) ? outcome : OUTCOME_VALUE_FAILURE);
    },
    fail(err: unknown) {
      if (ended) return;
      failSpan(span, err, rec.track);
      finish(OUTCOME_VALUE_FAILURE);
    },
  };
}
