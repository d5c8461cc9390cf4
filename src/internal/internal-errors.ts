import { HotCounterFamily } from '../metrics/hot-metrics';
import { METRIC_PULSEGUARD_INTERNAL_ERRORS, ATTR_PULSEGUARD_COMPONENT } from '../semconv';
import { pulseguardMetrics } from '../metrics/registry';
import { redactString } from '../logging/redaction';

/** Where contained faults are logged; replaced by the SDK logger at start(). */
export interface InternalErrorLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

// Before start() there is no redacting logger: censor here, a contained fault may quote a secret.
const consoleLogger: InternalErrorLogger = {
  warn: (obj, msg) => process.emitWarning(`${msg} ${redactString(JSON.stringify(obj))}`, { code: 'PULSEGUARD_INTERNAL' }),
};

let logger: InternalErrorLogger = consoleLogger;
// Log each (component, message) once: a fault on a hot path must not flood the logs.
const logged = new Set<string>();
const LOGGED_CAP = 1000;

const counter: HotCounterFamily = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_INTERNAL_ERRORS,
  description: 'Faults inside pulseguard that were contained instead of thrown into the application.',
  unit: '{error}',
});

/** @internal Point contained-fault logging at the SDK's logger. */
export function setInternalErrorLogger(next: InternalErrorLogger | undefined): void {
  logger = next ?? consoleLogger;
}

/** @internal Count a contained fault and log it once per component and message. */
export function reportInternalError(component: string, err: unknown): void {
  try {
    counter.series({ [ATTR_PULSEGUARD_COMPONENT]: component }).add(1);
    const message = err instanceof Error ? err.message : String(err);
    const key = `${component}\u0000${message}`;
    if (logged.has(key)) return;
    if (logged.size < LOGGED_CAP) logged.add(key);
    logger.warn({ component, err: err instanceof Error ? { type: err.name, message, stack: err.stack } : { message } },
      'pulseguard contained an internal error');
  } catch {
    // Reporting must never throw: this is the last line of containment.
  }
}

/** @internal Contained faults counted so far for a component (tests and health). */
export function internalErrorCount(component: string): number {
  return counter.series({ [ATTR_PULSEGUARD_COMPONENT]: component }).value;
}
