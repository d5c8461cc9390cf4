/**
 * The one source of Prometheus metric names: the /metrics exposition, the generated rule file,
 * the Grafana dashboard and `pulseguard report` all name series through these functions.
 *
 * The translation is the OpenTelemetry exporter's (dots and other invalid characters become
 * underscores, monotonic sums get `_total`, histograms expose `_bucket`/`_sum`/`_count`, no unit
 * suffix), with one addition: a gauge (a gauge or an up-down counter) whose name ends in a suffix
 * Prometheus reserves for another type (`_count`, `_sum`, `_bucket` for histograms and
 * summaries, `_total` for counters) gets `_current` appended. Without it a query engine or a
 * reader takes the gauge for a histogram's part (`promtool check metrics` rejects the
 * exposition); the semantic conventions' `db.client.connection.count` is such a gauge, exposed as
 * `db_client_connection_count_current`.
 */

/** What a Prometheus name is built for. */
export type PrometheusKind = 'counter' | 'gauge' | 'histogram';

/** Suffixes Prometheus gives a meaning that a gauge must not claim. */
export const RESERVED_SUFFIXES: readonly string[] = ['_count', '_sum', '_bucket', '_total'];

/** Appended to a gauge whose name ends in a reserved suffix. */
export const GAUGE_SUFFIX = '_current';

const INVALID = /[^a-zA-Z0-9_]/g;
const MULTI_UNDERSCORE = /_{2,}/g;

/** Sanitises an OTel name into a Prometheus metric or label name. */
export function sanitizeName(name: string): string {
  let n = name.replace(INVALID, '_').replace(MULTI_UNDERSCORE, '_');
  if (n.length > 0 && n[0] >= '0' && n[0] <= '9') n = `_${n}`;
  return n;
}

/**
 * The Prometheus name of a metric family: a counter's with `_total`, a gauge's with `_current`
 * when it would end in a reserved suffix, a histogram's base name (its series add
 * `_bucket`/`_sum`/`_count`).
 */
export function prometheusMetricName(otelName: string, kind: PrometheusKind): string {
  const n = sanitizeName(otelName);
  if (kind === 'counter') return n.endsWith('_total') ? n : `${n}_total`;
  if (kind === 'gauge' && RESERVED_SUFFIXES.some((s) => n.endsWith(s))) return `${n}${GAUGE_SUFFIX}`;
  return n;
}
