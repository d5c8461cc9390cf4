import { KNOWN_METRICS, type MetricKind } from '../../src/metrics/known-metrics';
import type { GeneratorRule } from './types';
import { prometheusMetricName, sanitizeName } from '../prometheus/prometheus-names';

/**
 * PromQL for a pulseguard rule, one pure function per statistic, meaning what the in-process
 * evaluator computes (src/evaluator/rule-values.ts). Names come from exporters/prometheus
 * (prometheus-names.ts): dots become underscores, monotonic counters get `_total`, histograms
 * `_bucket`/`_sum`/`_count`, a gauge ending in one of those gets `_current`, no unit suffix. Every aggregation keeps `job` and `instance` (configurable), because the evaluator
 * runs inside one process: its sums are per instance, and so are the generated alerts.
 *
 * Known differences (docs/fleet.md):
 * - `rate`/`increase` extrapolate to the window's edges in Prometheus; the evaluator uses the
 *   plain difference between the first and last sample in the window. They agree when samples
 *   land on the window's edges (scrape interval dividing the window) and the counter grows evenly.
 * - `max` of a histogram: Prometheus has no maximum of a classic histogram; the rule uses
 *   `histogram_quantile(1, ...)`, the upper bound of the highest non-empty bucket (the evaluator
 *   refines it with the exact cumulative max when the SDK reports one).
 */

/** OTel attribute or metric name to a Prometheus label name (as exporters/prometheus does it). */
export const promName = sanitizeName;

/** A gauge's series name (`_current` after a reserved suffix, as exporters/prometheus writes it). */
const gaugeName = (metric: string): string => prometheusMetricName(metric, 'gauge');

/** The kind of a metric: from the catalogue, else guessed from the statistic a rule applies to it. */
export function metricKind(metric: string, statistic: GeneratorRule['statistic']): MetricKind {
  const known = KNOWN_METRICS[metric];
  if (known) return known.kind;
  if (statistic === 'p50' || statistic === 'p95' || statistic === 'p99') return 'histogram';
  if (statistic === 'avg' || statistic === 'last' || statistic === 'max') return 'gauge';
  return 'counter';
}

function counterName(metric: string): string {
  return prometheusMetricName(metric, 'counter');
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Label matchers for a filter: "v" -> `k="v"`, "!=v", "=~re", "!~re" (PromQL regexes are anchored too). */
export function matchers(filter: Readonly<Record<string, string>> | undefined, extra: readonly string[] = []): string {
  const parts = Object.keys(filter ?? {}).sort().map((k) => {
    const spec = (filter ?? {})[k];
    const op = ['!=', '=~', '!~'].find((o) => spec.startsWith(o));
    return op ? `${promName(k)}${op}"${escapeValue(spec.slice(2))}"` : `${promName(k)}="${escapeValue(spec)}"`;
  });
  const all = [...extra, ...parts];
  return all.length > 0 ? `{${all.join(', ')}}` : '';
}

/** Prometheus duration for milliseconds. */
export function promDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Formats a number for PromQL: the shortest text that parses back to the same double (PromQL
 * reads exponents too), so a threshold or scale such as 1/3 means exactly what the evaluator
 * compares with; a rounded one would differ right on the level.
 */
export function promNumber(n: number): string {
  return String(n);
}

/** Context shared by the statistic functions. */
export interface PromqlContext {
  /** The `by (...)` labels: group-by attributes (underscored) plus the instance labels. */
  by: string;
  window: string;
}

const by = (c: PromqlContext): string => `by (${c.by})`;

/** rate(): counters per second; a histogram's rate is its observation rate. */
export function ratePromql(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  const series = kind === 'histogram' ? `${promName(metric)}_count` : counterName(metric);
  return `sum ${by(c)} (rate(${series}${sel}[${c.window}]))`;
}

/** increase(): counters; histograms count observations; gauges (as the evaluator does) take the difference. */
export function increasePromql(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'histogram') return `sum ${by(c)} (increase(${promName(metric)}_count${sel}[${c.window}]))`;
  if (kind === 'counter') return `sum ${by(c)} (increase(${counterName(metric)}${sel}[${c.window}]))`;
  return `sum ${by(c)} (increase(${gaugeName(metric)}${sel}[${c.window}]))`;
}

/**
 * last: the current value of a gauge (summed over the group's series); for a histogram the
 * evaluator counts the window's observations, as `increase` does.
 */
export function lastPromql(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'histogram') return increasePromql(metric, kind, sel, c);
  return `sum ${by(c)} (${kind === 'counter' ? counterName(metric) : gaugeName(metric)}${sel})`;
}

/** avg: avg_over_time of a gauge (averaged over the group's series); mean observation of a histogram. */
export function avgPromql(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'histogram') {
    const n = promName(metric);
    return `sum ${by(c)} (increase(${n}_sum${sel}[${c.window}])) / sum ${by(c)} (increase(${n}_count${sel}[${c.window}]))`;
  }
  return `avg ${by(c)} (avg_over_time(${kind === 'counter' ? counterName(metric) : gaugeName(metric)}${sel}[${c.window}]))`;
}

/** max: max_over_time of a gauge; for a histogram the upper bound of the highest non-empty bucket. */
export function maxPromql(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'histogram') return quantilePromql(1, metric, kind, sel, c);
  return `max ${by(c)} (max_over_time(${kind === 'counter' ? counterName(metric) : gaugeName(metric)}${sel}[${c.window}]))`;
}

/** p50/p95/p99: histogram_quantile over the window's bucket rates; quantile_over_time for gauges. */
export function quantilePromql(q: number, metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'histogram') return `histogram_quantile(${q}, sum by (le, ${c.by}) (rate(${promName(metric)}_bucket${sel}[${c.window}])))`;
  return `max ${by(c)} (quantile_over_time(${q}, ${gaugeName(metric)}${sel}[${c.window}]))`;
}

/** The amount one side of a ratio sums: increase of a counter, observation count of a histogram, value of a gauge. */
export function ratioSide(metric: string, kind: MetricKind, sel: string, c: PromqlContext): string {
  if (kind === 'counter' || kind === 'histogram') return increasePromql(metric, kind, sel, c);
  return lastPromql(metric, kind, sel, c);
}

/**
 * ratio: numerator / denominator per group. A group with no numerator series counts 0 (as in the
 * evaluator: `or 0 * den`); a zero denominator gives no value (`den > 0`), never +Inf.
 */
export function ratioPromql(rule: GeneratorRule, c: PromqlContext): string {
  const den = rule.denominator ?? rule.metric;
  const numQ = ratioSide(rule.metric, metricKind(rule.metric, 'ratio'), matchers(rule.filter), c);
  const denQ = ratioSide(den, metricKind(den, 'ratio'), matchers(rule.denominatorFilter), c);
  return `(${numQ} or 0 * ${denQ}) / (${denQ} > 0)`;
}

const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

/** The value expression of a rule (before scale and comparison). */
export function valuePromql(rule: GeneratorRule, instanceLabels: readonly string[] = ['job', 'instance']): string {
  const c: PromqlContext = { by: [...rule.groupBy.map(promName), ...instanceLabels].join(', '), window: promDuration(rule.window) };
  const kind = metricKind(rule.metric, rule.statistic);
  const sel = matchers(rule.filter);
  switch (rule.statistic) {
    case 'rate': return ratePromql(rule.metric, kind, sel, c);
    case 'increase': return increasePromql(rule.metric, kind, sel, c);
    case 'last': return lastPromql(rule.metric, kind, sel, c);
    case 'avg': return avgPromql(rule.metric, kind, sel, c);
    case 'max': return maxPromql(rule.metric, kind, sel, c);
    case 'ratio': return ratioPromql(rule, c);
    default: return quantilePromql(QUANTILES[rule.statistic], rule.metric, kind, sel, c);
  }
}

/** The full alert condition: `(value) * scale <comparison> level`. */
export function rulePromql(rule: GeneratorRule, level: number, instanceLabels?: readonly string[]): string {
  const value = valuePromql(rule, instanceLabels);
  const scaled = rule.scale !== 1 ? `(${value}) * ${promNumber(rule.scale)}` : value;
  return `${scaled} ${rule.comparison} ${promNumber(level)}`;
}
