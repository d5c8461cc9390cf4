import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { renderTemplate } from '../../../src/evaluator/templates';
import type { Alert, RuleInput } from '../../../src/evaluator/types';
import { promName, toYaml, type YamlValue } from '../../../exporters/prometheus-rules';
import { prometheusMetricName } from '../../../exporters/prometheus/prometheus-names';
import { harness, T0 } from '../../src/evaluator/helpers';
import { promtool, tempFiles, type PromtoolResult } from './promtool';

/**
 * The machinery of the equivalence tests: a series history is applied to the in-process evaluator
 * step by step (its firing alerts are the expected ones) and written as promtool input series
 * (cumulative, as Prometheus would scrape them); `promtool test rules` then checks the rendered
 * rule file fires exactly those alerts at every step.
 */

export const STEP_MS = 15_000;
export const JOB = 'svc';
export const INSTANCE = 'host-1:9464';

/** One series history, one entry per 15 s step (counters cumulative, histograms as the observations of each step). */
export type Series =
  | { kind: 'counter' | 'updown' | 'gauge'; metric: string; labels: Record<string, string>; values: number[] }
  | { kind: 'histogram'; metric: string; labels: Record<string, string>; boundaries: number[]; observations: number[][] };

export const repeat = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

/** Cumulative values from increments, added in the order the SDK adds them (same floating-point result). */
export function counterFrom(increments: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const d of increments) out.push((acc += d));
  return out;
}

export function stepsOf(series: readonly Series[]): number {
  const s = series[0];
  return s.kind === 'histogram' ? s.observations.length : s.values.length;
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/** promtool input_series for one series history (cumulative, as Prometheus would scrape it). */
export function inputSeries(s: Series): { series: string; values: string }[] {
  const labels: Record<string, string> = { job: JOB, instance: INSTANCE };
  for (const [k, v] of Object.entries(s.labels)) labels[promName(k)] = v;
  const name = promName(s.metric);
  if (s.kind !== 'histogram') {
    // As exporters/prometheus names it (a gauge ending in _count gets _current).
    const n = prometheusMetricName(s.metric, s.kind === 'counter' ? 'counter' : 'gauge');
    return [{ series: `${n}{${labelText(labels)}}`, values: s.values.join(' ') }];
  }
  const les = [...s.boundaries.map(String), '+Inf'];
  const cum: number[][] = les.map(() => []);
  const count: number[] = [];
  const sum: number[] = [];
  let total = 0;
  let acc = 0;
  const perLe = les.map(() => 0);
  for (const obs of s.observations) {
    for (const o of obs) {
      total++;
      acc += o;
      les.forEach((le, i) => { if (le === '+Inf' || o <= Number(le)) perLe[i]++; });
    }
    les.forEach((_, i) => cum[i].push(perLe[i]));
    count.push(total);
    sum.push(acc);
  }
  return [
    ...les.map((le, i) => ({ series: `${name}_bucket{${labelText({ ...labels, le })}}`, values: cum[i].join(' ') })),
    { series: `${name}_count{${labelText(labels)}}`, values: count.join(' ') },
    { series: `${name}_sum{${labelText(labels)}}`, values: sum.map((x) => Number(x.toPrecision(12))).join(' ') },
  ];
}

/** Applies step `k` of every series to the hot registry (the evaluator's view of the same history). */
export function applyStep(registry: HotMetricRegistry, series: readonly Series[], k: number): void {
  for (const s of series) {
    const d = { name: s.metric, description: s.metric, unit: s.kind === 'histogram' ? 's' : '1' };
    if (s.kind === 'histogram') {
      const h = registry.histogram(d, s.boundaries).series(s.labels);
      for (const o of s.observations[k]) h.record(o);
    } else if (s.kind === 'gauge') {
      registry.gauge(d).series(s.labels).set(s.values[k]);
    } else {
      const fam = s.kind === 'counter' ? registry.counter(d) : registry.upDownCounter(d);
      fam.series(s.labels).add(s.values[k] - (k > 0 ? s.values[k - 1] : 0));
    }
  }
}

/** Significant digits `$value` is compared at in annotations. */
const VALUE_DIGITS = 9;

/**
 * A float as Go's `printf "%.<p>g"` prints it: `p` significant digits, trailing zeros dropped,
 * exponent form below 1e-4 and from 1e<p> on. Both languages round the exact binary value to
 * nearest; they differ only on an exact tie (Go to even), and a value on or next to a tie is
 * refused: there the last bit of the computation, which may differ between the two, decides.
 */
export function goG(v: number, p = VALUE_DIGITS): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const digits = Math.abs(v) / 10 ** (Number(v.toExponential().split('e')[1]) - p + 1);
  if (Math.abs((digits % 1) - 0.5) < 1e-5) throw new Error(`${v} is on a rounding tie at ${p} digits; change the history`);
  const r = Number(v.toPrecision(p));
  const [mantissa, e] = r.toExponential().split('e');
  const exp = Number(e);
  if (exp >= -4 && exp < p) return String(r);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const PROM_VALUE = '{{ $value }}';

/**
 * The rule file with `{{ $value }}` printed at nine significant digits (printf `%.9g`), so that
 * annotations compare the value without its last bits: both sides compute the same value with a
 * different order of floating-point operations (Prometheus' rate multiplies the increase by
 * 1/range, histogram_quantile interpolates per-second bucket rates), which can differ in the last
 * bit (1974.9999999999998 against 1975). Everything else in the file is compared as rendered.
 */
export function valuesAtNineDigits(ruleFile: string): string {
  return ruleFile.split(PROM_VALUE).join(`{{ printf \`%.${VALUE_DIGITS}g\` $value }}`);
}

/** An alert as promtool's exp_alerts wants it. */
export interface ExpAlert { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }

const VALUE_RE = /\{\{\s*value\s*\}\}/g;

/**
 * The alert as Prometheus shows it: labels underscored plus job and instance; annotations
 * rendered from the rule's templates with the evaluator's value printed as {@link valuesAtNineDigits}
 * prints `$value` (the evaluator itself rounds to 4 significant digits for people, docs/rules.md).
 */
function expAlert(a: Alert, rule: RuleInput): ExpAlert {
  const exp_labels: Record<string, string> = { job: JOB, instance: INSTANCE };
  for (const [key, v] of Object.entries(a.labels)) if (key !== 'alertname') exp_labels[promName(key)] = v;
  const exp_annotations: Record<string, string> = {};
  const ctx = { value: a.value, threshold: a.threshold, severity: a.severity, alertname: a.alertname, labels: a.labels };
  for (const [key, template] of Object.entries(rule.annotations ?? {})) {
    exp_annotations[key] = template.split(VALUE_RE).map((part) => renderTemplate(part, ctx)).join(goG(a.value));
  }
  return { exp_labels, exp_annotations };
}

/** Firing alerts per step, from the in-process evaluator, one severity at a time (no inhibition: Prometheus fires both). */
export async function evaluatorFiring(rule: RuleInput, series: readonly Series[], steps = stepsOf(series)): Promise<ExpAlert[][]> {
  const out: ExpAlert[][] = Array.from({ length: steps }, () => []);
  const levels = (['critical', 'warning'] as const).filter((s) => rule[s] !== undefined);
  for (const severity of levels) {
    const single: RuleInput = { ...rule, warning: undefined, critical: undefined, [severity]: rule[severity] };
    const h = harness([single], { clock: { now: T0 - STEP_MS } });
    for (let k = 0; k < steps; k++) {
      applyStep(h.registry, series, k);
      await h.step(STEP_MS);
      for (const a of h.evaluator.active()) if (a.state === 'firing') out[k].push(expAlert(a, rule));
    }
    await h.evaluator.stop();
  }
  return out;
}

/** Severities that fire at some step. */
export function firedSeverities(expected: readonly ExpAlert[][]): string[] {
  return [...new Set(expected.flat().map((e) => e.exp_labels.severity))].sort();
}

/**
 * Runs `promtool test rules` with a rule file (its `$value` at nine digits, as the expected
 * annotations print it), a history and the alerts expected of `alertname` at every step.
 */
export function promtoolTestRules(ruleFile: string, alertname: string, series: readonly Series[], expected: readonly ExpAlert[][]): PromtoolResult & { dir: string } {
  const test = {
    rule_files: ['rules.yml'],
    evaluation_interval: `${STEP_MS / 1000}s`,
    tests: [{
      interval: `${STEP_MS / 1000}s`,
      input_series: series.flatMap(inputSeries),
      alert_rule_test: expected.map((exp, k) => ({ eval_time: `${(k * STEP_MS) / 1000}s`, alertname, exp_alerts: exp })),
    }],
  };
  const dir = tempFiles({ 'rules.yml': valuesAtNineDigits(ruleFile), 'test.yml': toYaml(test as unknown as YamlValue) });
  return { ...promtool(['test', 'rules', 'test.yml'], dir), dir };
}
