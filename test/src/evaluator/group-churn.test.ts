import { strict as assert } from 'node:assert';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ruleSchema } from '../../../src/config/schema/rules';
import { Evaluator, resetEvaluatorState } from '../../../src/evaluator/evaluator';
import { T0 } from './helpers';

/** A cumulative counter with one point per route. */
function counter(name: string, values: Record<string, number>): MetricData {
  return {
    descriptor: { name, description: '', unit: '1', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true,
    dataPoints: Object.entries(values).map(([route, value]) => ({ startTime: [0, 0], endTime: [0, 0], attributes: { route }, value })),
  };
}

describe('Evaluator with churning label values', () => {
  afterEach(() => resetEvaluatorState());

  it('keeps computing a ratio per group while the groups of routes that went away are forgotten', async () => {
    // 100 routes report for two collections and go away; "keep" reports throughout. Once their
    // samples leave the window, most cached groups receive no series and the cache is dropped:
    // that must not lose the numerator of the groups still computed in the same evaluation.
    const rule = ruleSchema().parse({ name: 'ErrRatio', metric: 'app.err', statistic: 'ratio', denominator: 'app.req', groupBy: ['route'], window: '1m', comparison: '>', warning: -1, for: 0 });
    const clock = { now: T0 };
    let current: ResourceMetrics | undefined;
    const evaluator = new Evaluator({ rules: [rule], collect: async () => current as ResourceMetrics, intervalMs: 15_000, now: () => clock.now });
    const gone = Array.from({ length: 100 }, (_, i) => `r${i}`);
    const seen: number[] = [];
    let groupsAtStart = 0;
    for (let step = 1; step <= 16; step++) {
      const req: Record<string, number> = { keep: 10 * step };
      const err: Record<string, number> = { keep: step };
      if (step <= 2) for (const r of gone) Object.assign(req, { [r]: 10 * step }), Object.assign(err, { [r]: 2 * step });
      current = { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'churn' }, metrics: [counter('app.err', err), counter('app.req', req)] }] };
      clock.now += 15_000;
      await evaluator.evaluateNow();
      if (step === 2) groupsAtStart = evaluator.rules()[0].series;
      if (step >= 2) seen.push(evaluator.active().find((a) => a.labels.route === 'keep')?.value ?? NaN);
    }
    assert.equal(groupsAtStart, 101);
    assert.equal(evaluator.rules()[0].series, 1);
    // err grows 1 and req 10 per collection: 0.1 at every evaluation, including the one that
    // dropped the cache.
    for (const v of seen) assert.ok(Math.abs(v - 0.1) < 1e-12, `ratio for "keep" at each step: ${seen.join(', ')}`);
  });
});
