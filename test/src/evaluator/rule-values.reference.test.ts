import { strict as assert } from 'node:assert';
import { ValueType, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ruleSchema } from '../../../src/config/schema/rules';
import { Evaluator, resetEvaluatorState } from '../../../src/evaluator/evaluator';
import type { RuleInput } from '../../../src/evaluator/types';
import { T0 } from './helpers';
import { expectedValues, groupKey, ReferenceStore, type Kind, type Labels, type Point, type RefRule, type Stat } from './reference-statistics';

/*
 * Seeded randomized differential test: the evaluator, fed hand-built collections through its
 * public `collect`, must give every rule the value the naive reference (reference-statistics.ts,
 * written from docs/rules.md) computes from every sample it was handed. Each rule has
 * `warning: -1e12`, `for: 0`, so every group with a value is an active alert carrying it.
 */

const SEEDS = 40;
const STEPS = 30;
/** Mostly 15 s; irregular steps exercise the slack, the x.5 s ones put samples exactly on a window's start. */
const STEP_MS = [15_000, 15_000, 15_000, 15_000, 15_000, 15_000, 15_000, 7_000, 22_000, 7_500, 22_500, 30_000];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface MetricSpec { name: string; short: string; kind: Kind; delta: boolean; bounds: number[]; exponential?: boolean }
/** Exponential histogram layout: scale 1 (base sqrt 2), positive buckets (base^(offset+i), base^(offset+i+1)]. */
const EXP = { scale: 1, offset: -6, n: 12 };
const METRICS: MetricSpec[] = [
  { name: 'refcheck.counter', short: 'counter', kind: 'counter', delta: false, bounds: [] },
  { name: 'refcheck.counter_delta', short: 'counter_delta', kind: 'counter', delta: true, bounds: [] },
  { name: 'refcheck.updown', short: 'updown', kind: 'updown', delta: false, bounds: [] },
  { name: 'refcheck.gauge', short: 'gauge', kind: 'gauge', delta: false, bounds: [] },
  { name: 'refcheck.histogram', short: 'histogram', kind: 'histogram', delta: false, bounds: [0.05, 0.1, 0.25, 0.5, 1, 2.5] },
  { name: 'refcheck.histogram_delta', short: 'histogram_delta', kind: 'histogram', delta: true, bounds: [0.1, 0.5, 1, 2] },
  // The zero bucket (upper bound 0), then the positive buckets' upper bounds, as explicit buckets.
  { name: 'refcheck.exponential', short: 'exponential', kind: 'histogram', delta: false, exponential: true,
    bounds: [0, ...Array.from({ length: EXP.n }, (_, i) => 2 ** ((EXP.offset + i + 1) * 2 ** -EXP.scale))] },
];
const MIXED_RATIOS: [string, string][] = [['counter', 'updown'], ['histogram', 'counter_delta'], ['exponential', 'gauge'], ['updown', 'histogram_delta']];
const STATS: Stat[] = ['rate', 'increase', 'avg', 'p50', 'p95', 'p99', 'max', 'last'];
const WINDOWS = [['1m', 60_000], ['5m', 300_000]] as const;
/** Filters on the `inst` label (i0, i1, i2, i13), each with an independent predicate of what it must select. */
const FILTERS: ({ spec: string; test: (v: string) => boolean } | undefined)[] = [
  undefined, undefined,
  { spec: 'i1', test: (v) => v === 'i1' },
  { spec: '!=i1', test: (v) => v !== 'i1' },
  { spec: '=~i[02]', test: (v) => v === 'i0' || v === 'i2' },
  { spec: '!~i0|i3', test: (v) => v !== 'i0' && v !== 'i3' }, // anchored: keeps i13
  { spec: '=~i1', test: (v) => v === 'i1' },
];

/** One generated series: when it is reported, and its true state (which moves on while unreported). */
interface GenSeries {
  labels: Labels; attrs: Attributes; appear: number; disappear: number; absent: Set<number>;
  value: number; reported: number; counts: number[]; count: number; sum: number; max: number | undefined;
}

type Collection = Parameters<ReferenceStore['ingest']>[1];

/** Random histories of every metric in METRICS: resets, late and vanishing series, missed collections. */
class History {
  private readonly series = new Map<MetricSpec, GenSeries[]>();

  constructor(private readonly rnd: () => number, private readonly reuseAttrs: boolean, private readonly stats: Map<string, number>) {
    for (const m of METRICS) {
      const groups = this.int(1, 2);
      this.series.set(m, Array.from({ length: this.int(2, 4) }, (_, j) => {
        const labels = { route: groups === 1 ? 'a' : 'ab'[j % 2], inst: ['i0', 'i1', 'i2', 'i13'][j] };
        const appear = this.rnd() < 0.3 ? this.int(1, 12) : 0;
        const absent = new Set<number>();
        for (let s = 1; s < STEPS; s++) if (this.rnd() < 0.1 && !absent.has(s - 1)) absent.add(s);
        return {
          labels, attrs: { ...labels }, appear, disappear: this.rnd() < 0.2 ? this.int(appear + 3, STEPS + 5) : Infinity, absent,
          value: m.kind === 'updown' ? this.int(-5, 30) : 0, reported: 0, counts: [...m.bounds, 0].map(() => 0), count: 0, sum: 0, max: undefined,
        };
      }));
    }
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private count(what: string): void {
    this.stats.set(what, (this.stats.get(what) ?? 0) + 1);
  }

  private observe(m: MetricSpec, g: GenSeries, n: number): void {
    for (let i = 0; i < n; i++) {
      let b: number;
      let x: number;
      if (m.exponential) { // zero, or the middle of a positive bucket above the first one
        b = this.rnd() < 0.1 ? 0 : this.int(2, EXP.n);
        x = b === 0 ? 0 : (m.bounds[b - 1] + m.bounds[b]) / 2;
      } else {
        x = this.int(1, 820) / 256;
        b = m.bounds.findIndex((u) => x <= u);
        if (b < 0) b = m.bounds.length;
      }
      g.counts[b]++;
      g.count++;
      g.sum += x;
      g.max = g.max === undefined ? x : Math.max(g.max, x);
    }
  }

  /** Moves every series one step and returns what collection `s` reports (reference and OTel forms). */
  collect(s: number): { ref: Collection; rm: ResourceMetrics } {
    const ref: Collection = [];
    const metrics: MetricData[] = [];
    for (const [m, all] of this.series) {
      const points: Point[] = [];
      const otel: { attributes: Attributes; p: Point }[] = [];
      for (const g of all) {
        const present = s >= g.appear && s < g.disappear && !g.absent.has(s);
        if (present && s === g.appear && s > 0) this.count('late series');
        if (!present && s > g.appear && s < g.disappear) this.count('missed collections');
        const reset = present && this.rnd() < 0.06 && (m.kind === 'counter' ? g.reported > 0 : g.reported >= 4) && !m.delta;
        if (m.kind === 'histogram') {
          if (reset || m.delta) Object.assign(g, { counts: g.counts.map(() => 0), count: 0, sum: 0, max: undefined });
          if (reset) this.count('histogram resets');
          if (present || !m.delta) this.observe(m, g, reset ? this.int(1, 3) : this.int(0, 5));
        } else if (m.kind === 'counter') {
          if (reset) this.count('counter resets');
          g.value = reset ? this.int(0, g.reported - 1) : m.delta ? this.int(0, 12) : g.value + this.int(0, 12);
        } else {
          g.value = m.kind === 'gauge' ? this.int(0, 800) / 8 : g.value + this.int(-10, 10);
        }
        if (!present) continue;
        const p: Point = { labels: g.labels, v: m.kind === 'histogram' ? g.count : g.value, sum: g.sum, buckets: [...g.counts], max: g.max };
        g.reported = p.v;
        points.push(p);
        otel.push({ attributes: this.reuseAttrs ? g.attrs : { ...g.labels }, p });
      }
      if (points.length === 0) continue;
      ref.push({ name: m.name, kind: m.kind, delta: m.delta, bounds: m.bounds, points });
      metrics.push(metricData(m, otel));
    }
    return { ref, rm: { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'refcheck' }, metrics }] } };
  }
}

function metricData(m: MetricSpec, points: { attributes: Attributes; p: Point }[]): MetricData {
  const descriptor = { name: m.name, description: '', unit: '1', valueType: ValueType.DOUBLE };
  const aggregationTemporality = m.delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  const dp = <T>(attributes: Attributes, value: T) => ({ startTime: [0, 0] as [number, number], endTime: [0, 0] as [number, number], attributes, value });
  const scalars = points.map(({ attributes, p }) => dp(attributes, p.v));
  if (m.kind === 'gauge') return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints: scalars };
  if (m.kind !== 'histogram') return { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: m.kind === 'counter', dataPoints: scalars };
  if (m.exponential) {
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: points.map(({ attributes, p }) => dp(attributes, {
      count: p.v, sum: p.sum, max: p.max, scale: EXP.scale, zeroCount: p.buckets[0],
      positive: { offset: EXP.offset, bucketCounts: p.buckets.slice(1, EXP.n + 1) }, negative: { offset: 0, bucketCounts: [] },
    })) };
  }
  return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: points.map(({ attributes, p }) => dp(attributes, {
    buckets: { boundaries: [...m.bounds], counts: [...p.buckets] }, count: p.v, sum: p.sum, max: p.max,
  })) };
}

type TestRule = RefRule & { input: RuleInput; windowMs: number; combo: string };

/** Every statistic of every metric for both windows, plus ratios, with random filters, groupBy and scale. */
function makeRules(h: History): TestRule[] {
  const pick = <T>(xs: readonly T[]): T => xs[h.int(0, xs.length - 1)];
  const rules: TestRule[] = [];
  const filterOf = (f: (typeof FILTERS)[number]) => ({ spec: (f ? { inst: f.spec } : {}) as Labels, test: (l: Labels) => (f ? f.test(l.inst ?? '') : true) });
  const add = (statistic: Stat, num: MetricSpec, den: MetricSpec | undefined, w: (typeof WINDOWS)[number]): void => {
    const f = filterOf(pick(statistic === 'ratio' ? FILTERS.slice(2) : FILTERS));
    const df = filterOf(pick(FILTERS));
    const groupBy = h.int(0, 9) < 6 ? ['route'] : [];
    const scale = pick([1, 1, 1000, 0.25]);
    const name = `${statistic}_${num.short}${den && den !== num ? `_by_${den.short}` : ''}_${w[0]}`;
    rules.push({
      name, metric: num.name, statistic, groupBy, filter: f.test, scale, windowMs: w[1],
      combo: `${statistic}/${num.short}${den && den !== num ? `/${den.short}` : ''}/${w[0]}`,
      ...(den ? { denominator: den.name, denominatorFilter: df.test } : {}),
      input: {
        name, metric: num.name, statistic, window: w[0], filter: f.spec, groupBy, scale, comparison: '>', warning: -1e12, for: 0,
        ...(den ? { denominator: den.name, denominatorFilter: df.spec } : {}),
      },
    });
  };
  const byShort = (s: string): MetricSpec => METRICS.find((m) => m.short === s) as MetricSpec;
  for (const w of WINDOWS) {
    for (const m of METRICS) {
      for (const stat of STATS) add(stat, m, undefined, w);
      add('ratio', m, m, w);
    }
    for (const [num, den] of MIXED_RATIOS) add('ratio', byShort(num), byShort(den), w);
  }
  return rules;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

async function runHistory(seed: number, compared: Map<string, number>, stats: Map<string, number>): Promise<void> {
  const rnd = mulberry32(seed);
  const history = new History(rnd, rnd() < 0.5, stats);
  const rules = makeRules(history);
  const ref = new ReferenceStore();
  const clock = { now: T0 };
  let current: ResourceMetrics | undefined;
  const evaluator = new Evaluator({
    rules: rules.map((r) => ruleSchema.parse(r.input)),
    collect: async () => current as ResourceMetrics,
    intervalMs: 15_000,
    now: () => clock.now,
  });
  let lastAt: number | undefined;
  const times: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const dt = STEP_MS[history.int(0, STEP_MS.length - 1)];
    clock.now += dt;
    const { ref: col, rm } = history.collect(s);
    current = rm;
    ref.ingest(clock.now, col);
    await evaluator.evaluateNow();
    // The window starts `window` + half the time since the previous evaluation (at most half an interval) ago.
    const slack = lastAt === undefined ? 7_500 : Math.min(15_000, clock.now - lastAt) / 2;
    lastAt = clock.now;
    const actual = new Map<string, Map<string, number>>();
    for (const a of evaluator.active()) {
      const r = rules.find((x) => x.name === a.alertname) as TestRule;
      if (!actual.has(r.name)) actual.set(r.name, new Map());
      actual.get(r.name)?.set(groupKey(a.labels, r.groupBy), a.value);
    }
    times.push(clock.now);
    for (const [, ms] of WINDOWS) {
      if (times.includes(clock.now - ms - slack)) stats.set('sample on a window start', (stats.get('sample on a window start') ?? 0) + 1);
    }
    const status = evaluator.rules();
    rules.forEach((r, i) => {
      const expected = expectedValues(ref, r, clock.now - r.windowMs - slack);
      const got = actual.get(r.name) ?? new Map<string, number>();
      const where = `seed ${seed}, step ${s} (+${(clock.now - T0) / 1000}s, step ${dt / 1000}s), rule ${r.name} [${JSON.stringify(r.input.filter)} by ${r.groupBy.join(',') || '-'} x${r.scale}]`;
      assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), `${where}: groups with a value`);
      assert.equal(status[i].series, expected.size, `${where}: rules()[${i}].series`);
      for (const [k, e] of expected) {
        if (e.disputed !== undefined) {
          stats.set(`disputed: ${e.disputed}`, (stats.get(`disputed: ${e.disputed}`) ?? 0) + 1);
          continue;
        }
        const a = got.get(k) as number;
        assert.ok(close(a, e.value), `${where}, group ${JSON.stringify(k)}: evaluator ${a}, reference ${e.value}`);
        compared.set(r.combo, (compared.get(r.combo) ?? 0) + 1);
      }
    });
  }
}

describe('Evaluator statistics against a naive reference (docs/rules.md)', () => {
  afterEach(() => resetEvaluatorState());

  it(`computes every statistic of every kind as the reference does, over ${SEEDS} random histories`, async () => {
    const compared = new Map<string, number>();
    const stats = new Map<string, number>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      await runHistory(seed, compared, stats);
      resetEvaluatorState();
    }
    // Not vacuous: every combination compared many present values, and every scenario happened.
    // max of delta histograms is never compared (a known disagreement, see reference-statistics.ts).
    const combos = makeRules(new History(mulberry32(0), false, new Map())).map((r) => r.combo).filter((c) => !c.startsWith('max/histogram_delta/'));
    const thin = combos.filter((c) => (compared.get(c) ?? 0) < 100).map((c) => `${c}: ${compared.get(c) ?? 0}`);
    assert.deepEqual(thin, [], 'combinations with fewer than 100 compared values');
    for (const what of ['late series', 'missed collections', 'counter resets', 'histogram resets', 'sample on a window start']) {
      assert.ok((stats.get(what) ?? 0) >= 20, `${what}: ${stats.get(what) ?? 0}`);
    }
  });
});
