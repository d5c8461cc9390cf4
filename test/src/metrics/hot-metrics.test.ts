import { strict as assert } from 'node:assert';
import { DataPointType, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { HotMetricRegistry } from '../../../src/metrics/index';

describe('HotMetricRegistry', () => {
  describe('#collectMetricData', () => {
    it('reports counters as cumulative monotonic sums per attribute set', () => {
      const reg = new HotMetricRegistry();
      const fam = reg.counter({ name: 'demo.messages', description: 'd', unit: '{message}' });
      const a = fam.series({ dir: 'in' });
      a.add();
      a.add(2);
      fam.series({ dir: 'out' }).add(5);
      assert.equal(fam.series({ dir: 'in' }), a, 'the same attribute set resolves to the same handle');
      const [m] = reg.collectMetricData() as SumMetricData[];
      assert.equal(m.dataPointType, DataPointType.SUM);
      assert.equal(m.isMonotonic, true);
      assert.deepEqual(m.dataPoints.map((p) => [p.attributes.dir, p.value]), [['in', 3], ['out', 5]]);
    });

    it('buckets histogram values with le semantics (value equal to a boundary goes in that bucket)', () => {
      const reg = new HotMetricRegistry();
      const h = reg.histogram({ name: 'demo.latency', description: 'd', unit: 's' }, [0.1, 0.5, 1]).series({});
      for (const v of [0.05, 0.1, 0.3, 0.5, 2]) h.record(v);
      const [m] = reg.collectMetricData() as HistogramMetricData[];
      const p = m.dataPoints[0].value;
      assert.deepEqual(p.buckets.counts, [2, 2, 0, 1]);
      assert.equal(p.count, 5);
      assert.equal(p.min, 0.05);
      assert.equal(p.max, 2);
      assert.ok(Math.abs((p.sum ?? 0) - 2.95) < 1e-9);
    });

    it('folds attribute sets beyond the cardinality limit into one overflow series', () => {
      const reg = new HotMetricRegistry(3);
      const fam = reg.counter({ name: 'demo.c', description: 'd', unit: '1' });
      for (let i = 0; i < 10; i++) fam.series({ i }).add();
      const [m] = reg.collectMetricData() as SumMetricData[];
      assert.equal(m.dataPoints.length, 4);
      const overflow = m.dataPoints.find((p) => p.attributes['otel.metric.overflow'] === true);
      assert.equal(overflow?.value, 7);
    });

    it('contains a throwing observer and reports it, keeping the other metrics', () => {
      const reg = new HotMetricRegistry();
      const seen: string[] = [];
      reg.onObserverError = (name) => seen.push(name);
      reg.observe({ name: 'broken', description: 'd', unit: '1' }, () => { throw new Error('boom'); });
      reg.observe({ name: 'fine', description: 'd', unit: '1' }, () => [{ value: 4, attributes: {} }]);
      const data = reg.collectMetricData();
      assert.deepEqual(data.map((m) => m.descriptor.name), ['fine']);
      assert.deepEqual(seen, ['broken']);
    });
  });

  describe('#observe', () => {
    it('is idempotent by name: observing a name again replaces its callback, and one metric of that name is collected', () => {
      const reg = new HotMetricRegistry();
      const users = { name: 'demo.users', description: 'd', unit: '{user}' };
      reg.observe(users, () => [{ value: 1, attributes: {} }]); // a first instrumentation instance
      reg.observe({ name: 'demo.other', description: 'd', unit: '1' }, () => [{ value: 9, attributes: {} }]);
      reg.observe(users, () => [{ value: 2, attributes: {} }]); // re-enabled: a new instance observes again
      const data = reg.collectMetricData();
      assert.deepEqual(data.map((m) => m.descriptor.name), ['demo.users', 'demo.other'], 'one demo.users, still in its first place');
      assert.deepEqual(data[0].dataPoints.map((p) => p.value), [2], 'the newest callback is read');
    });
  });
});
