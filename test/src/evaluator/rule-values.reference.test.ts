import { strict as assert } from 'node:assert';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ruleSchema } from '../../../src/config/schema/rules';
import { Evaluator, resetEvaluatorState } from '../../../src/evaluator/evaluator';
import type { RuleInput } from '../../../src/evaluator/types';
import { T0 } from './helpers';
import { History, METRICS, mulberry32, type MetricSpec, type Tally } from './reference-history';
import { expectedValues, groupKey, type Expected, type RefRule, type Stat } from './reference-statistics';
import { ReferenceStore, type Labels } from './reference-store';

/*
 * Seeded randomized differential test: the evaluator, fed hand-built collections through its
 * public `collect`, must give every rule the value the naive reference (reference-statistics.ts,
 * written from docs/rules.md) computes from every sample it was handed. Each rule has
 * `warning: -1e12`, `for: 0`, so every group with a value is an active alert carrying it.
 * Midway through most histories the evaluator is replaced by a new one with the same `stateKey`,
 * which must continue as if uninterrupted. Hand-computed cases of the same rules: rule-values.scenarios.test.ts.
 */

const SEEDS = 40;
const STEPS = 32;
const INTERVAL_MS = 15_000;
/** Mostly 15 s; irregular steps exercise the slack, the x.5 s ones put samples exactly on a window's start. */
const STEP_MS = [15_000, 15_000, 15_000, 15_000, 15_000, 15_000, 15_000, 7_000, 22_000, 7_500, 22_500, 30_000];
const STATE_KEY = 'rule-values.reference';

const MIXED_RATIOS: [string, string][] = [['counter', 'updown'], ['histogram', 'counter_delta'], ['exponential', 'gauge'], ['updown', 'histogram_delta'], ['updown_delta', 'counter']];
const STATS: Stat[] = ['rate', 'increase', 'avg', 'p50', 'p95', 'p99', 'max', 'last'];
/** Short windows, so the retention (largest window + 2 intervals = 150 s) is shorter than a history. */
const WINDOWS = [['1m', 60_000], ['2m', 120_000]] as const;
/** Filters on the `inst` label (i0, i1, i2, i13), each with an independent predicate of what it must select. */
const FILTERS: ({ spec: string; test: (v: string) => boolean } | undefined)[] = [
  undefined, undefined,
  { spec: 'i1', test: (v) => v === 'i1' },
  { spec: '!=i1', test: (v) => v !== 'i1' },
  { spec: '=~i[02]', test: (v) => v === 'i0' || v === 'i2' },
  { spec: '!~i0|i3', test: (v) => v !== 'i0' && v !== 'i3' }, // anchored: keeps i13
  { spec: '=~i1', test: (v) => v === 'i1' },
];
/** Cases every run must have compared many values of (reference notes and ingest events, history tallies). */
const MUST_HAPPEN = [
  'late series', 'missed collections', 'counter resets', 'histogram resets', 'sample on a window start', 'evaluator restarts',
  'expired series back', 'expired series back at the first evaluation past its retention', 'series back within the retention', 'layout changes',
  'histogram max before a reset', 'delta histogram max not from the last point', 'histogram max without max',
  'several layouts in a group', 'quantile in the first positive exponential bucket',
];

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

/** How long the evaluator keeps a metric's samples: the largest window of a rule reading it + 2 intervals. */
function retentionOf(rules: TestRule[]): (metric: string) => number {
  return (metric) => Math.max(...rules.filter((r) => r.metric === metric || r.denominator === metric).map((r) => r.windowMs)) + 2 * INTERVAL_MS;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Disagreements by combination and check: how many, and the first one in full. */
type Failures = Map<string, { n: number; first: string }>;

async function runHistory(seed: number, compared: Map<string, number>, tally: Tally, failures: Failures): Promise<void> {
  const rnd = mulberry32(seed);
  const history = new History(rnd, rnd() < 0.5, STEPS, tally);
  const restartAt = rnd() < 0.7 ? history.int(3, STEPS - 3) : -1;
  const rules = makeRules(history);
  const parsed = rules.map((r) => ruleSchema().parse(r.input));
  const byName = new Map(rules.map((r) => [r.name, r]));
  const ref = new ReferenceStore(retentionOf(rules), tally);
  const clock = { now: T0 };
  let current: ResourceMetrics | undefined;
  const evaluatorOf = () => new Evaluator({ rules: parsed, collect: async () => current as ResourceMetrics, intervalMs: INTERVAL_MS, now: () => clock.now, stateKey: STATE_KEY });
  let evaluator = evaluatorOf();
  let lastAt: number | undefined;
  const times = new Set<number>();
  const fail = (what: string, message: string): void => {
    const f = failures.get(what);
    if (f) f.n++;
    else failures.set(what, { n: 1, first: message });
  };
  for (let s = 0; s < STEPS; s++) {
    const dt = STEP_MS[history.int(0, STEP_MS.length - 1)];
    clock.now += dt;
    if (s === restartAt) {
      evaluator = evaluatorOf(); // same stateKey: continues the store
      lastAt = undefined;
      tally('evaluator restarts');
    }
    const { ref: col, rm } = history.collect(s);
    current = rm;
    ref.ingest(clock.now, col);
    await evaluator.evaluateNow();
    // The window starts `window` + half the time since the evaluator's previous evaluation (at most half an interval) ago.
    const slack = lastAt === undefined ? INTERVAL_MS / 2 : Math.min(INTERVAL_MS, clock.now - lastAt) / 2;
    lastAt = clock.now;
    const actual = new Map<string, Map<string, number>>();
    for (const a of evaluator.active()) {
      const r = byName.get(a.alertname) as TestRule;
      if (!actual.has(r.name)) actual.set(r.name, new Map());
      actual.get(r.name)?.set(groupKey(a.labels, r.groupBy), a.value);
    }
    times.add(clock.now);
    for (const [, ms] of WINDOWS) if (times.has(clock.now - ms - slack)) tally('sample on a window start');
    const status = evaluator.rules();
    rules.forEach((r, i) => {
      const expected = expectedValues(ref, r, clock.now - r.windowMs - slack);
      const got = actual.get(r.name) ?? new Map<string, number>();
      const where = () => `seed ${seed}, step ${s} (+${(clock.now - T0) / 1000}s, step ${dt / 1000}s${s === restartAt ? ', restarted' : ''}), rule ${r.name} [${JSON.stringify(r.input.filter)} by ${r.groupBy.join(',') || '-'} x${r.scale}]`;
      const notes = (es: Iterable<Expected>) => {
        const all = [...new Set([...es].flatMap((e) => e.notes))];
        return all.length > 0 ? ` (${all.join('; ')})` : '';
      };
      if (got.size !== expected.size || [...expected.keys()].some((k) => !got.has(k))) {
        const keys = (m: Map<string, unknown>) => JSON.stringify([...m.keys()].sort());
        fail(`${r.combo}: groups with a value`, `${where()}: evaluator ${keys(got)}, reference ${keys(expected)}${notes(expected.values())}`);
      }
      if (status[i].series !== expected.size) fail(`${r.combo}: rules().series`, `${where()}: evaluator ${status[i].series}, reference ${expected.size}`);
      for (const [k, e] of expected) {
        const a = got.get(k);
        if (a === undefined) continue;
        if (!close(a, e.value)) {
          fail(`${r.combo}: value`, `${where()}, group ${JSON.stringify(k)}: evaluator ${a}, reference ${e.value}${notes([e])}`);
          continue;
        }
        compared.set(r.combo, (compared.get(r.combo) ?? 0) + 1);
        for (const note of e.notes) tally(note);
      }
    });
  }
}

describe('Evaluator statistics against a naive reference (docs/rules.md)', () => {
  afterEach(() => resetEvaluatorState());

  it(`computes every statistic of every kind as the reference does, over ${SEEDS} random histories`, async () => {
    const compared = new Map<string, number>();
    const counts = new Map<string, number>();
    const tally: Tally = (what) => counts.set(what, (counts.get(what) ?? 0) + 1);
    const failures: Failures = new Map();
    for (let seed = 1; seed <= SEEDS; seed++) {
      await runHistory(seed, compared, tally, failures);
      resetEvaluatorState();
    }
    if (failures.size > 0) {
      const report = [...failures].sort(([a], [b]) => a.localeCompare(b)).map(([what, f]) => `${what}: ${f.n}x, first: ${f.first}`);
      assert.fail(`${report.length} kinds of disagreement with the reference:\n${report.join('\n')}`);
    }
    // Not vacuous: every combination compared many present values, and every scenario happened.
    const combos = makeRules(new History(mulberry32(0), false, STEPS, () => undefined)).map((r) => r.combo);
    const thin = combos.filter((c) => (compared.get(c) ?? 0) < 100).map((c) => `${c}: ${compared.get(c) ?? 0}`);
    assert.deepEqual(thin, [], 'combinations with fewer than 100 compared values');
    const rare = MUST_HAPPEN.filter((what) => (counts.get(what) ?? 0) < 20).map((what) => `${what}: ${counts.get(what) ?? 0}`);
    assert.deepEqual(rare, [], `cases that happened fewer than 20 times (all: ${JSON.stringify(Object.fromEntries(counts))})`);
  });
});
