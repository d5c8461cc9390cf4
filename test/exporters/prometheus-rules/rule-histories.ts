import type { Rule } from '../../../src/config/types';
import type { MetricKind } from '../../../src/metrics/known-metrics';
import { parseMatcher, type Matcher } from '../../../src/evaluator/rule-compiler';
import { crosses } from '../../../src/evaluator/statistics';
import { metricKind } from '../../../exporters/prometheus-rules';
import { STEP_MS, counterFrom, repeat, type Series } from './equivalence-harness';

/**
 * A series history for any rule, generated from the rule itself (metric kinds, statistic, filters,
 * group-by, window, for, keepFiringFor, scale, levels): its value goes from below the warning
 * level over warning, over critical (where the rule has one) and back below, each phase long
 * enough for the window to fill and `for`/`keepFiringFor` to play out.
 *
 * The histories avoid the differences docs/fleet.md lists: counters are flat and histograms empty
 * for a first window (no extrapolation while a window is partly covered; samples fall on the
 * window's edges), histogram observations sit on bucket boundaries with every level strictly
 * inside an empty stretch of buckets (quantile interpolation and `histogram_quantile(1)` as max
 * cannot land on a level), one series per group for gauge statistics, and no window straddling
 * two phases holds a value exactly on a level (where the last bit of the arithmetic decides).
 */

export type Level = 'ok' | 'warning' | 'critical';
type Step = Level | 'warmup';

const STEP_S = STEP_MS / 1000;
/** Observations per step of a latency histogram (3: quantiles are not short decimals that round on a tie). */
const OBSERVATIONS = 3;
/** The per-step amount of a ratio's denominator. */
const DENOMINATOR = 400;
/** Steps added to every phase beyond window, for and keepFiringFor. */
const MARGIN = 3;
/** Where a histogram observation sits: the upper bound of a bucket (LOWER_EDGE·v, v]. */
const LOWER_EDGE = 0.9;
const RATIO_OBSERVATION = 0.1;

/**
 * Counter increments are multiples of 1/1000: short decimals, so no value lands on a rounding tie
 * of the nine digits annotations compare (both sides subtract the same cumulative doubles).
 */
const milli = (x: number): number => Math.round(x * 1000) / 1000;

/** One series the history is made of: what it holds at a level (increment, value, or observations). */
interface Source {
  kind: MetricKind;
  metric: string;
  labels: Record<string, string>;
  /** Counter increment per step, gauge value, or observations per step of a histogram. */
  amount(level: Level): number;
  /** Value of a histogram's observations. */
  observed?(level: Level): number;
  /** noise: the series the filter leaves out, held at the top level throughout. */
  role?: 'noise';
}

/** A generated history and what it should do. */
export interface RuleHistory {
  series: Series[];
  /** Level per step ('warmup' for the first window). */
  schedule: Step[];
  /** The rule's steady value at each level (a range where interpolation makes it one). */
  realized: Partial<Record<Level, [number, number]>>;
  /** Values while a window straddles two phases, for statistics linear in the window's samples. */
  transitions: number[];
}

/** Attribute values tried against a filter's matchers ('' = attribute absent), after the matcher's own value. */
const CANDIDATES = ['other', '500', '200', '1000', '1006', 'timeout', 'FROZEN_METHOD_INVALID', ''];

/** Values to try for a matcher: its own value where it names one, then the candidates. */
const tries = (m: Matcher): string[] => (m.op === '=' || m.op === '!=' ? [m.value, ...CANDIDATES] : CANDIDATES);

/** Attribute values satisfying every matcher of a filter (an attribute left out when only absence does). */
function satisfying(filter: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, spec] of Object.entries(filter ?? {})) {
    const m = parseMatcher(key, spec);
    const v = tries(m).find((c) => m.test(c === '' ? {} : { [key]: c }));
    if (v === undefined) throw new Error(`no candidate value satisfies ${key}${spec}; add one to CANDIDATES`);
    if (v !== '') out[key] = v;
  }
  return out;
}

/** Attribute values failing the filter (its first matcher) while satisfying `keep`. */
function failing(filter: Record<string, string>, keep: Record<string, string> | undefined): Record<string, string> {
  const [key, spec] = Object.entries(filter)[0];
  const m = parseMatcher(key, spec);
  const out = satisfying(keep);
  const keepMatchers = Object.entries(keep ?? {}).map(([k, s]) => parseMatcher(k, s));
  const v = tries(m).find((c) => !m.test({ [key]: c }) && keepMatchers.every((km) => km.key !== key || km.test({ [key]: c })));
  if (v === undefined) throw new Error(`no candidate value fails ${key}${spec}; add one to CANDIDATES`);
  if (v === '') delete out[key];
  else out[key] = v;
  return out;
}

/**
 * The rule's value (after scale) held at each level; exact levels for `>=`/`<=` on last values.
 * `shift` moves the levels' values a little (another try when a transition lands on a level).
 */
export function levelTargets(rule: Rule, shift = 0): Partial<Record<Level, number>> {
  const { warning: w, critical: c } = rule;
  const up = rule.comparison === '>' || rule.comparison === '>=';
  const exact = rule.comparison.endsWith('=') && rule.statistic === 'last';
  const first = (w ?? c) as number;
  const t: Partial<Record<Level, number>> = {};
  // Uneven fractions, so that a window straddling two phases is rarely exactly on a level.
  const f = 0.45 + shift * 0.03;
  if (up) {
    t.ok = first > 0 ? first * f : first - 1;
    if (w !== undefined) t.warning = exact ? w : c !== undefined ? w + (c - w) * f : w > 0 ? w * (1.25 + f) : w + 1;
    if (c !== undefined) t.critical = exact ? c : c > 0 ? c * (1 + f) : c + 1;
  } else {
    t.ok = first > 0 ? first * (1.25 + f) : first + 1;
    if (w !== undefined) t.warning = exact ? w : c !== undefined ? w - (w - c) * f : w > 0 ? w * f : w - 1;
    if (c !== undefined) t.critical = exact ? c : c > 0 ? c * f : c - 1;
  }
  if (t.ok < 0 && ['rate', 'increase', 'ratio'].includes(rule.statistic)) t.ok = 0;
  return t;
}

/** Sources and realized values of one rule (labels without the group-by ones). */
interface Sources {
  sources: Source[];
  realized: (l: Level) => [number, number];
  /** The value is linear in the window's samples (rate, increase, ratio of counts). */
  linear?: boolean;
}

function sources(rule: Rule, t: Partial<Record<Level, number>>, n: number): Sources {
  const raw = (l: Level): number => (t[l] as number) / rule.scale;
  const kind = metricKind(rule.metric, rule.statistic);
  const unsupported = (): never => { throw new Error(`${rule.name}: no history generator for ${rule.statistic} of a ${kind}`); };
  const withNoise = (main: Source): Source[] => (Object.keys(rule.filter).length === 0 ? [main]
    : [main, { ...main, labels: failing(rule.filter, undefined), role: 'noise' }]);
  const s = rule.scale;
  if (rule.statistic === 'ratio') {
    const den = rule.denominator as string;
    const numKind = kind;
    const denKind = metricKind(den, 'ratio');
    const windowed = (k: MetricKind) => k === 'counter' || k === 'histogram';
    if (!windowed(numKind)) return unsupported();
    // Per step: the numerator's share of a denominator growing by DENOMINATOR a step, or of a gauge at DENOMINATOR.
    const perStep = windowed(denKind) ? 1 : 1 / n;
    const num = (l: Level) => (numKind === 'histogram' ? Math.round : milli)(raw(l) * DENOMINATOR * perStep);
    const realized = (l: Level): [number, number] => { const v = (num(l) / perStep / DENOMINATOR) * s; return [v, v]; };
    const shape = (k: MetricKind, amount: (l: Level) => number): Pick<Source, 'kind' | 'amount' | 'observed'> =>
      (k === 'histogram' ? { kind: k, amount, observed: () => RATIO_OBSERVATION } : { kind: k, amount });
    if (den === rule.metric) {
      // One metric: the numerator's series are part of the denominator; the rest of it fails the filter.
      if (Object.keys(rule.filter).length === 0) return unsupported();
      const main: Source = { metric: rule.metric, labels: { ...satisfying(rule.denominatorFilter), ...satisfying(rule.filter) }, ...shape(numKind, num) };
      const rest: Source = { metric: den, labels: failing(rule.filter, rule.denominatorFilter), ...shape(denKind, (l) => DENOMINATOR - num(l)) };
      return { sources: [main, rest], realized, linear: true };
    }
    const main: Source = { metric: rule.metric, labels: satisfying(rule.filter), ...shape(numKind, num) };
    const denominator: Source = { metric: den, labels: satisfying(rule.denominatorFilter), ...shape(denKind, () => DENOMINATOR) };
    const out = [...withNoise(main), denominator];
    if (Object.keys(rule.denominatorFilter ?? {}).length > 0) out.push({ ...denominator, labels: failing(rule.denominatorFilter ?? {}, undefined), role: 'noise' });
    return { sources: out, realized, linear: true };
  }
  const labels = satisfying(rule.filter);
  if (kind === 'histogram') {
    if (!['p50', 'p95', 'p99', 'max', 'avg'].includes(rule.statistic)) return unsupported();
    const quantile = rule.statistic.startsWith('p');
    return {
      sources: withNoise({ kind, metric: rule.metric, labels, amount: () => OBSERVATIONS, observed: raw }),
      realized: (l) => [quantile ? raw(l) * LOWER_EDGE * s : raw(l) * s, raw(l) * s],
    };
  }
  if (kind === 'counter') {
    if (rule.statistic !== 'rate' && rule.statistic !== 'increase') return unsupported();
    const per = rule.statistic === 'rate' ? STEP_S : 1 / n;
    const inc = (l: Level) => milli(raw(l) * per);
    return { sources: withNoise({ kind, metric: rule.metric, labels, amount: inc }), realized: (l) => [(inc(l) / per) * s, (inc(l) / per) * s], linear: true };
  }
  if (rule.statistic === 'rate' || rule.statistic === 'increase') return unsupported();
  return { sources: withNoise({ kind, metric: rule.metric, labels, amount: raw }), realized: (l) => [raw(l) * s, raw(l) * s] };
}

function toSeries(src: Source, schedule: readonly Step[], groupLabels: Record<string, string>, boundaries: Map<string, number[]>): Series {
  const labels = { ...src.labels, ...groupLabels };
  const at = (st: Step): Level => (st === 'warmup' ? 'ok' : st);
  if (src.kind === 'histogram') {
    const observations = schedule.map((st) => (st === 'warmup' ? [] : repeat(src.amount(st), (src.observed as (l: Level) => number)(st))));
    return { kind: 'histogram', metric: src.metric, labels, boundaries: boundaries.get(src.metric) as number[], observations };
  }
  if (src.kind === 'counter') return { kind: 'counter', metric: src.metric, labels, values: counterFrom(schedule.map((st) => (st === 'warmup' ? 0 : src.amount(st)))) };
  return { kind: src.kind, metric: src.metric, labels, values: schedule.map((st) => src.amount(at(st))) };
}

/** True when `v` is on one of the rule's levels (where the last bit of the computation decides). */
export function onLevel(rule: Rule, v: number): boolean {
  return [rule.warning, rule.critical].some((l) => l !== undefined && Math.abs(v - l) <= 1e-9 * Math.max(1, Math.abs(l)));
}

/** Values of a linear statistic while its window moves from one phase into the next. */
function transitionValues(levels: readonly Level[], realized: Sources['realized'], n: number): number[] {
  const out: number[] = [];
  const value = (l: Step) => (l === 'warmup' ? 0 : realized(l)[0]);
  const seq: Step[] = ['warmup', ...levels];
  for (let i = 1; i < seq.length; i++) {
    const [a, b] = [value(seq[i - 1]), value(seq[i])];
    if (a !== b) for (let j = 1; j < n; j++) out.push((a * (n - j) + b * j) / n);
  }
  return out;
}

/** The history of one rule: warmup, ok, warning, critical, ok; a quiet second group; filtered-out noise. */
export function ruleHistory(rule: Rule): RuleHistory {
  if (rule.window % STEP_MS !== 0) throw new Error(`${rule.name}: window ${rule.window} ms is not a multiple of the ${STEP_MS} ms step`);
  const n = rule.window / STEP_MS;
  const levels: Level[] = ['ok', ...(rule.warning !== undefined ? ['warning' as const] : []), ...(rule.critical !== undefined ? ['critical' as const] : []), 'ok'];
  let built = sources(rule, levelTargets(rule), n);
  let transitions = built.linear ? transitionValues(levels, built.realized, n) : [];
  for (let shift = 1; shift < 8 && transitions.some((v) => onLevel(rule, v)); shift++) {
    built = sources(rule, levelTargets(rule, shift), n);
    transitions = transitionValues(levels, built.realized, n);
  }
  const { sources: srcs, realized } = built;
  const windowed = rule.statistic !== 'last' || srcs.some((x) => x.kind === 'counter' || x.kind === 'histogram');
  const phase = (windowed ? n : 0) + Math.ceil(rule.for / STEP_MS) + Math.ceil(rule.keepFiringFor / STEP_MS) + MARGIN;
  const schedule: Step[] = [...repeat<Step>(windowed ? n : 1, 'warmup'), ...levels.flatMap((l) => repeat<Step>(phase, l))];
  const top: Level = rule.critical !== undefined ? 'critical' : 'warning';
  const boundaries = new Map<string, number[]>();
  for (const src of srcs) {
    if (!src.observed) continue;
    const b = new Set(boundaries.get(src.metric) ?? []);
    for (const l of levels) for (const v of [src.observed(l) * LOWER_EDGE, src.observed(l)]) b.add(v);
    boundaries.set(src.metric, [...b].sort((x, y) => x - y));
  }
  const group = (v: string) => Object.fromEntries(rule.groupBy.map((k) => [k, v]));
  const series: Series[] = [];
  for (const src of srcs) {
    const sched = src.role === 'noise' ? schedule.map((st) => (st === 'warmup' ? st : top)) : schedule;
    series.push(toSeries(src, sched, group('g1'), boundaries));
    if (rule.groupBy.length > 0) series.push(toSeries(src, sched.map((st) => (st === 'warmup' || src.role === 'noise' ? st : 'ok')), group('g2'), boundaries));
  }
  const real: RuleHistory['realized'] = {};
  for (const l of levels) real[l] = realized(l);
  return { series, schedule, realized: real, transitions };
}

/** The severities a value fires at (critical first), as the rule's comparison says. */
export function severitiesAt(rule: Rule, value: number): Level[] {
  return (['critical', 'warning'] as const).filter((sev) => rule[sev] !== undefined && crosses(value, rule.comparison, rule[sev] as number));
}
