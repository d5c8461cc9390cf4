import { strict as assert } from 'node:assert';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ruleSchema } from '../../../src/config/schema/rules';
import { Evaluator, resetEvaluatorState } from '../../../src/evaluator/evaluator';
import type { RuleInput } from '../../../src/evaluator/types';
import { T0 } from './helpers';

/*
 * Hand-computed cases of docs/rules.md's statistics, one per rule of the differential test
 * (rule-values.reference.test.ts) that is easy to get wrong: each feeds a few collections 15 s
 * apart and checks the one value a rule must have after the last.
 */

const INTERVAL_MS = 15_000;
const at = (ms: number): [number, number] => [Math.floor(ms / 1000), 0];
const labelsOf = (key: string): Record<string, string> => {
  const [s, k] = key.split('/');
  return k === undefined ? { s } : { s, k };
};
type Value = number | { count: number; sum: number; max?: number; counts: number[]; boundaries?: number[]; exp?: { scale: number; offset: number } };

/** One metric of one collection: `points` per series (key `s` or `s/k`: its labels); undefined: not reported. */
function metric(name: string, kind: 'counter' | 'updown' | 'histogram' | 'exponential', delta: boolean, points: Record<string, Value | undefined>): MetricData {
  const descriptor = { name, description: '', unit: '1', valueType: ValueType.DOUBLE };
  const aggregationTemporality = delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  const dps = Object.entries(points).filter(([, v]) => v !== undefined).map(([s, value]) => ({ startTime: at(0), endTime: at(0), attributes: labelsOf(s), value: value as Value }));
  if (kind === 'counter' || kind === 'updown') {
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: kind === 'counter', dataPoints: dps.map((d) => ({ ...d, value: d.value as number })) };
  }
  const hist = dps.map((d) => ({ ...d, value: d.value as Exclude<Value, number> }));
  if (kind === 'histogram') {
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: hist.map((d) => ({ ...d, value: {
      count: d.value.count, sum: d.value.sum, max: d.value.max, buckets: { boundaries: d.value.boundaries ?? [1, 2, 4], counts: d.value.counts },
    } })) };
  }
  return { descriptor, aggregationTemporality, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: hist.map((d) => ({ ...d, value: {
    count: d.value.count, sum: d.value.sum, max: d.value.max, scale: d.value.exp?.scale ?? 0, zeroCount: 0,
    positive: { offset: d.value.exp?.offset ?? 0, bucketCounts: d.value.counts }, negative: { offset: 0, bucketCounts: [] },
  } })) };
}

/**
 * Evaluates `collections` 15 s apart (an evaluator restart before the indexes in `restartBefore`,
 * same stateKey) and returns the rule's value per `s` label after the last one.
 */
async function valuesAfter(metricName: string, statistic: RuleInput['statistic'], window: string, collections: MetricData[], restartBefore: number[] = []): Promise<Record<string, number>> {
  const rule: RuleInput = { name: 'r', metric: metricName, statistic, window, groupBy: ['s'], comparison: '>', warning: -1e12, for: 0 };
  const clock = { now: T0 };
  let current: ResourceMetrics | undefined;
  const make = () => new Evaluator({ rules: [ruleSchema().parse(rule)], collect: async () => current as ResourceMetrics, intervalMs: INTERVAL_MS, now: () => clock.now, stateKey: 'scenarios' });
  let evaluator = make();
  for (const [i, m] of collections.entries()) {
    if (restartBefore.includes(i)) evaluator = make();
    clock.now += INTERVAL_MS;
    current = { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'scenarios' }, metrics: [m] }] };
    await evaluator.evaluateNow();
  }
  return Object.fromEntries(evaluator.active().map((a) => [a.labels.s, a.value]));
}

const h = (counts: number[], sum: number, max?: number, boundaries?: number[]): Value => ({ count: counts.reduce((a, b) => a + b, 0), sum, max, counts, boundaries });

describe('Evaluator statistics: hand-computed cases (docs/rules.md)', () => {
  afterEach(() => resetEvaluatorState());

  it('adds up delta points of an up-down sum into a running total (last of three +5 is 15)', async () => {
    const v = await valuesAfter('ud', 'last', '1m', [5, 5, 5].map((x) => metric('ud', 'updown', true, { a: x })));
    assert.deepEqual(v, { a: 15 });
  });

  it('histogram max with a reset inside the window: the largest observation of the whole window', async () => {
    // 0.5, then 3.5 (the cumulative max grew: exact), then a reset and 0.2 alone.
    const points = [h([1, 0, 0, 0], 0.5, 0.5), h([1, 0, 0, 1], 4, 3.5), h([1, 0, 0, 0], 0.2, 0.2)];
    assert.deepEqual(await valuesAfter('hm', 'max', '1m', points.map((p) => metric('hm', 'histogram', false, { a: p }))), { a: 3.5 });
  });

  it('histogram max with a reset: the segment before it uses the bucket bound, capped by its cumulative max', async () => {
    // max 3.5 observed before the window's first sample; in the window, 1.5 in (1, 2] (max did not grow), then a reset.
    const points = [h([0, 0, 0, 1], 3.5, 3.5), h([0, 0, 0, 1], 3.5, 3.5), h([0, 1, 0, 1], 5, 3.5), h([1, 0, 0, 0], 0.2, 0.2)];
    const v = await valuesAfter('hb', 'max', '30s', points.map((p) => metric('hb', 'histogram', false, { a: p })));
    assert.deepEqual(v, { a: 2 });
  });

  it('histogram max with delta temporality: the largest interval max after the window\'s first sample', async () => {
    // The first point (3.0) is the baseline; then intervals with maxima 2.5 and 0.4.
    const points = [h([0, 0, 1, 0], 3, 3), h([0, 0, 1, 0], 2.5, 2.5), h([1, 0, 0, 0], 0.4, 0.4)];
    assert.deepEqual(await valuesAfter('hd', 'max', '1m', points.map((p) => metric('hd', 'histogram', true, { a: p }))), { a: 2.5 });
  });

  it('histogram max without max: the upper bound of the highest non-empty bucket in the window', async () => {
    const points = [h([0, 0, 0, 1], 5, undefined), h([1, 0, 1, 1], 9, undefined), h([1, 1, 1, 1], 10.5, undefined)];
    assert.deepEqual(await valuesAfter('hn', 'max', '30s', points.map((p) => metric('hn', 'histogram', false, { a: p }))), { a: 4 });
  });

  it('exponential histogram: the first positive bucket starts at base^offset, not 0', async () => {
    // scale 0 (base 2), offset 0: four observations in (1, 2]; p50 interpolates to 1.5.
    const point = (n: number): Value => ({ count: n, sum: 1.5 * n, max: n > 0 ? 1.9 : undefined, counts: [n, 0], exp: { scale: 0, offset: 0 } });
    const v = await valuesAfter('ex', 'p50', '1m', [point(0), point(4)].map((p) => metric('ex', 'exponential', false, { a: p })));
    assert.deepEqual(v, { a: 1.5 });
  });

  it('p95 of a group with two bucket layouts is the highest of its layouts\' quantiles', async () => {
    const a = (n: number) => h([n, 0, 0, 0], 0.5 * n, 0.5);
    const b = (n: number) => h([0, n, 0], 5 * n, 5, [1, 10]);
    const cols = [0, 2].map((n) => metric('hl', 'histogram', false, { 'g/a': a(n), 'g/b': b(n) }));
    // (0, 1] holds a's two: 0.95; (1, 10] holds b's two: 1 + 9 * 0.95.
    const v = await valuesAfter('hl', 'p95', '1m', cols);
    assert.deepEqual(Object.keys(v), ['g']);
    assert.ok(Math.abs(v.g - 9.55) < 1e-9, `p95 ${v.g}, expected 9.55`);
  });

  it('a series whose layout changes starts over: no delta across layouts, no zero sample', async () => {
    const points = [h([1, 0, 0, 0], 0.5, 0.5), h([2, 0, 0, 0], 1, 0.5), h([0, 3, 0], 15, 5, [1, 10]), h([0, 4, 0], 20, 5, [1, 10])];
    assert.deepEqual(await valuesAfter('hc', 'increase', '1m', points.map((p) => metric('hc', 'histogram', false, { a: p }))), { a: 1 });
  });

  it('a counter series back after the retention counts from zero again (1m window: retention 90 s)', async () => {
    // Last seen at +15 s; forgotten at +120 s (absent, 105 s > 90 s); back at +135 s with 4.
    const values = [10, ...Array<undefined>(7).fill(undefined), 4];
    const v = await valuesAfter('ce', 'increase', '1m', values.map((x) => metric('ce', 'counter', false, { a: x, keep: 1 })));
    assert.deepEqual(v, { a: 4, keep: 0 });
  });

  it('...also when it comes back at the first evaluation past its retention', async () => {
    // Last seen at +15 s; at +105 s it is exactly 90 s old (kept); back at +120 s (105 s > 90 s) with 4.
    const values = [10, ...Array<undefined>(6).fill(undefined), 4];
    const v = await valuesAfter('cf', 'increase', '1m', values.map((x) => metric('cf', 'counter', false, { a: x, keep: 1 })));
    assert.deepEqual(v, { a: 4, keep: 0 });
  });

  it('a new evaluator with the same stateKey continues the store', async () => {
    const v = await valuesAfter('cr', 'increase', '1m', [10, 20, 30].map((x) => metric('cr', 'counter', false, { a: x })), [2]);
    assert.deepEqual(v, { a: 20 });
  });
});
