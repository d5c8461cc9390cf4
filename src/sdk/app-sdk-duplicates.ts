import {
  METRIC_DB_CLIENT_CONNECTION_COUNT,
  METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  METRIC_DB_CLIENT_OPERATION_DURATION,
} from '../../instrumentations/pg/semconv';

/** Scope name of @opentelemetry/instrumentation-pg's meter. */
const SCOPE_INSTRUMENTATION_PG = '@opentelemetry/instrumentation-pg';

/**
 * pulseguard hot metrics that an upstream instrumentation, run by the app's own SDK, records under
 * the same name. pulseguard's pg metrics follow instrumentation-pg's names on purpose (so the
 * dashboards work either way); next to the app's instrumentation-pg they would appear under two
 * scopes and every sum() would double.
 */
const DUPLICATED_BY_SCOPE: ReadonlyMap<string, readonly string[]> = new Map([
  [SCOPE_INSTRUMENTATION_PG, [METRIC_DB_CLIENT_OPERATION_DURATION, METRIC_DB_CLIENT_CONNECTION_COUNT,
    METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, METRIC_DB_CLIENT_CONNECTION_MAX]],
]);

/** The hot metric names the app's SDK already records, given the scopes of its meters. */
export function hotMetricsDuplicatedBy(appScopes: ReadonlySet<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [scope, names] of DUPLICATED_BY_SCOPE) if (appScopes.has(scope)) for (const n of names) out.add(n);
  return out;
}
