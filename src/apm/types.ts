import type { Meter, Span, Tracer } from '@opentelemetry/api';
import type { ErrorTracker } from '../errors/types';
import type { OUTCOMES } from './semconv';

/** How a transaction, operation or dependency call ended. */
export type Outcome = (typeof OUTCOMES)[number];

/** An application transaction: one span and one `app.transaction.duration` measurement. */
export interface Transaction {
  /** Its name as given (cut to 128 characters): the span's name. The metric attribute is bounded separately (`maxNames`). */
  readonly name: string;
  /** Its span (a child of the span active when it started). */
  readonly span: Span;
  /** True once `end` or `fail` ran; later calls are ignored. */
  readonly ended: boolean;
  /** Runs `fn` with this transaction's span active, so spans and logs inside become its children. */
  run<T>(fn: () => T): T;
  /** Ends it. @default outcome "success" */
  end(outcome?: Outcome): void;
  /** Ends it as a failure: tracks `err` (when an error tracker is attached) and sets the span status. */
  fail(err: unknown): void;
}

/** A dependency call to record after the fact. */
export interface DependencyCall {
  /** How long it took, in milliseconds. */
  durationMs: number;
  /** Whether it succeeded. @default true */
  ok?: boolean;
}

/** The APM helper: transactions, measured operations and dependency calls of the app's own code. */
export interface ApmCollector {
  /** Starts a transaction; end it with `end()` or `fail(err)`. */
  trackTransaction(name: string): Transaction;
  /**
   * Runs `fn` (sync or async) in a span named `operation` and records `app.operation.duration`.
   * Returns what `fn` returns; errors pass through unchanged.
   */
  measureLatency<T>(operation: string, fn: () => T): T;
  /** Records one call to `service`: `app.dependency.duration` and `app.dependency.calls`. */
  recordDependencyCall(service: string, call: DependencyCall): void;
}

/** Options of {@link createApmCollector}. */
export interface ApmOptions {
  /** Meter for the instruments. @default metrics.getMeter('pulseguard') */
  meter?: Meter;
  /** Tracer for the spans. @default trace.getTracer('pulseguard') */
  tracer?: Tracer;
  /** Failures are tracked here (the exception lands on the failing span). */
  errors?: ErrorTracker;
  /**
   * Distinct metric attribute values kept per kind (transactions, operations, services); later
   * names are recorded as `_other` in the metrics. Span names are never folded. @default 200
   */
  maxNames?: number;
  /** Warned once when a name is folded into `_other`. */
  logger?: { warn(obj: Record<string, unknown>, msg: string): void };
  /** Clock in milliseconds, for tests. @default performance.now */
  now?: () => number;
}
