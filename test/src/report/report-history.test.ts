import { strict as assert } from 'node:assert';
import { ReportHistory, REPORT_METRICS, reportAreas } from '../../../src/report/report-history';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';
import { harness, T0 } from '../evaluator/helpers';

describe('ReportHistory', () => {
  afterEach(() => resetEvaluatorState());

  function setup() {
    const clock = { now: T0 };
    const history = new ReportHistory(reportAreas(1000), 3_600_000, 100, () => clock.now);
    const h = harness([], { clock, extraRetention: new Map(REPORT_METRICS.map((n) => [n, 0])), afterIngest: (store, now) => history.record(store, now) });
    const lat = h.registry.histogram({ name: 'http.server.request.duration', description: '', unit: 's' }, [0.05, 0.1, 0.5, 1]);
    const db = h.registry.histogram({ name: 'db.client.operation.duration', description: '', unit: 's' }, [0.05, 0.1, 0.25, 1]);
    return { h, history, lat, db };
  }

  describe('#report', () => {
    it('gives latency percentiles, throughput and error rate per area over the period, with points per resolution', async () => {
      const { h, history, lat } = setup();
      const ok = lat.series({ 'http.response.status_code': 200 });
      const fail = lat.series({ 'http.response.status_code': 503 });
      await h.step();
      // 8 steps of 15 s (2 min): each step 9 fast requests and 1 failing slow one.
      for (let i = 0; i < 8; i++) {
        for (let k = 0; k < 9; k++) ok.record(0.02);
        fail.record(0.7);
        await h.step();
      }
      const r = history.report({ period: '1h', resolution: '1m' });
      const api = r.areas.api;
      assert.equal(api.latency.count, 80);
      assert.equal(r.coveredMs, 120_000);
      assert.ok(Math.abs(api.throughput - 80 / 120) < 1e-9);
      assert.equal(api.errorRate, 0.1);
      assert.ok(api.latency.p50 !== null && api.latency.p50 <= 50);
      assert.ok(api.latency.p99 !== null && api.latency.p99 > 500);
      assert.equal(api.points.length, 2);
      assert.equal(api.points[0].errorRate, 0.1);
      assert.equal(r.areas.websocket.latency.count, 0);
      assert.equal(r.areas.websocket.errorRate, null);
      assert.ok(r.memory && r.memory.rss > 0);
      // A shorter period only sees the last steps.
      assert.equal(history.report({ period: '30s', resolution: '15s' }).areas.api.latency.count, 20);
    });

    it('counts slow queries from the database histogram buckets', async () => {
      const { h, history, db } = setup();
      const s = db.series({ 'db.operation.name': 'SELECT' });
      await h.step();
      for (let i = 0; i < 10; i++) s.record(0.01);
      s.record(0.2); // above 100 ms, not above 250
      s.record(0.3);
      await h.step();
      const r = history.report({ period: '1h', resolution: '1m' });
      assert.equal(r.queries.slowerThanQueryTime, 2);
      assert.equal(r.queries.slowerThan200ms, 1);
      assert.equal(r.areas.database.latency.count, 12);
    });

    it('rejects a resolution longer than the period', () => {
      const { history } = setup();
      assert.throws(() => history.report({ period: '1m', resolution: '1h' }), RangeError);
    });
  });
});
