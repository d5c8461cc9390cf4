import type { AreaEntry } from './area';
import type { OtelSetup } from './otel-setup';
import { limitsArea } from './areas/limits-area';
import { exportersArea } from './areas/exporters-area';
import { evaluatorArea } from './areas/evaluator-area';
import { createOtelArea } from './areas/otel-area';
import { httpArea, hostMetricsArea, pgArea, wsArea, telegramArea } from './areas/instrumentation-areas';
import { createErrorsArea, type ErrorServices } from './areas/errors-area';
import { apmArea } from './areas/apm-area';
import { recoveryArea } from './areas/recovery-area';
import { healthArea } from './areas/health-area';
import { alertingArea } from './areas/alerting-area';
import { journalArea } from './areas/journal-area';

/**
 * The areas of start(), in the one order that is declared: built and started top to bottom,
 * stopped bottom to top. Why this order:
 * - the limiter first: every later area may consume from it;
 * - the alert journal next (it writes to the limiter's Redis when there is one), before the
 *   evaluator, alerting and errors restore from it; it stops after them, with their final state;
 * - the exporters and the evaluator add metric readers, which sdk-metrics binds only when the
 *   MeterProvider is built, so they precede `otel`;
 * - instrumentations after `otel`, so they are enabled against the providers in effect;
 *   telegram first among them: it loads its modules when it is built, and once an
 *   instrumentation is enabled every first require of a file goes through the require hook
 *   (require-in-the-middle resolves the file's package again), which made its build ~5 ms dearer;
 * - recovery after telegram (its procedures), health after what it reports on (its server
 *   closes first), alerting after health (pending notifications flush before it closes);
 * - errors after alerting (new-group and crash alerts go through it), apm after errors.
 * @internal
 */
export function areaTable(otel: OtelSetup, errors: ErrorServices): readonly AreaEntry[] {
  return [
    limitsArea,
    journalArea,
    exportersArea,
    evaluatorArea,
    createOtelArea(otel, errors.spanTrail),
    telegramArea,
    httpArea,
    hostMetricsArea,
    pgArea,
    wsArea,
    recoveryArea,
    healthArea,
    alertingArea,
    createErrorsArea(errors),
    apmArea,
  ];
}
