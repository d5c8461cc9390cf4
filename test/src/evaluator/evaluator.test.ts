import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/config/index';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';
import { harness, names, T0 } from './helpers';

const LAT_BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5];

describe('Evaluator', () => {
  afterEach(() => resetEvaluatorState());

  describe('#evaluateNow', () => {
    it('fires a p95 rule from histogram bucket deltas of the window and resolves when the window moves on', async () => {
      const h = harness([{ name: 'Slow', metric: 'app.latency', statistic: 'p95', scale: 1000, warning: 200, window: '1m' }]);
      const s = h.registry.histogram({ name: 'app.latency', description: '', unit: 's' }, LAT_BOUNDS).series({});
      for (let i = 0; i < 100; i++) s.record(0.01);
      await h.step();
      await h.step(); // the old fast observations are the baseline, not part of any window delta
      for (let i = 0; i < 20; i++) s.record(0.4);
      await h.step();
      assert.deepEqual(names(h.events), ['firing:Slow:warning']);
      const a = h.evaluator.active()[0];
      assert.ok(a.value > 250 && a.value <= 500, String(a.value));
      assert.equal(a.labels.alertname, 'Slow');
      // No new observations: after one window the delta is empty -> no value -> resolved.
      for (let i = 0; i < 5; i++) await h.step();
      assert.deepEqual(names(h.events), ['firing:Slow:warning', 'resolved:Slow:warning']);
      assert.equal(h.events[1].alert.state, 'resolved');
    });

    it('keeps a pending alert until `for` has held, restarting it when an evaluation is below the level', async () => {
      const h = harness([{ name: 'Conns', metric: 'app.conns', statistic: 'last', warning: 10, for: '30s' }]);
      const g = h.registry.gauge({ name: 'app.conns', description: '', unit: '1' }).series({});
      g.set(20); await h.step();
      g.set(20); await h.step();
      g.set(5); await h.step(); // flap: back to inactive
      g.set(20); await h.step();
      g.set(20); await h.step();
      assert.deepEqual(names(h.events), ['pending:Conns:warning', 'pending:Conns:warning']);
      g.set(20); await h.step();
      assert.deepEqual(names(h.events).slice(2), ['firing:Conns:warning']);
      assert.equal(h.evaluator.active()[0].state, 'firing');
    });

    it('inhibits the warning while the critical of the same label set fires', async () => {
      const h = harness([{ name: 'Errs', metric: 'app.errors', statistic: 'increase', window: '1m', warning: 5, critical: 20, groupBy: ['kind'] }]);
      const fam = h.registry.counter({ name: 'app.errors', description: '', unit: '1' });
      const a = fam.series({ kind: 'a' });
      const b = fam.series({ kind: 'b' });
      await h.step();
      a.add(30); b.add(8);
      await h.step();
      assert.deepEqual(names(h.events).sort(), ['firing:Errs:critical', 'firing:Errs:warning']);
      const active = h.evaluator.active().map((x) => `${x.labels.kind}:${x.severity}`).sort();
      assert.deepEqual(active, ['a:critical', 'b:warning']);
    });

    it('announces the inhibited warning when the critical resolves while the warning still holds', async () => {
      const h = harness([{ name: 'Level', metric: 'app.level', statistic: 'last', warning: 5, critical: 20 }]);
      const g = h.registry.gauge({ name: 'app.level', description: '', unit: '1' }).series({});
      g.set(25); await h.step();
      assert.deepEqual(names(h.events), ['firing:Level:critical']);
      assert.deepEqual(h.evaluator.active().map((a) => a.severity), ['critical']);
      g.set(10); await h.step();
      assert.deepEqual(names(h.events).slice(1).sort(), ['firing:Level:warning', 'resolved:Level:critical']);
      g.set(0); await h.step();
      assert.deepEqual(names(h.events).slice(3), ['resolved:Level:warning']);
    });

    it('counts a counter reset as a restart from zero, like Prometheus', async () => {
      const h = harness([{ name: 'Jobs', metric: 'app.jobs', statistic: 'increase', window: '1m', warning: 10 }]);
      const c = h.registry.counter({ name: 'app.jobs', description: '', unit: '1' }).series({});
      c.add(100); await h.step();
      c.value = 4; await h.step(); // process restarted its counter: +4, not -96
      c.add(4); await h.step(); // +4 -> 8 in the window
      assert.equal(h.events.length, 0);
      c.add(5); await h.step(); // 4 + 4 + 5 = 13 over the last minute
      assert.deepEqual(names(h.events), ['firing:Jobs:warning']);
      assert.equal(h.events[0].alert.value, 13);
    });

    it('reports no data for a metric nobody reported, holds alerts for a window, then resolves them', async () => {
      const h = harness([{ name: 'Q', metric: 'app.q', statistic: 'last', warning: 1, window: '1m' }]);
      await h.step();
      assert.equal(h.evaluator.rules()[0].health, 'nodata');
      assert.equal(h.evaluator.warnings.length, 1);
      assert.match(h.evaluator.warnings[0], /"app\.q" is not in the catalogue/);
      const g = h.registry.gauge({ name: 'app.q', description: '', unit: '1' }).series({});
      g.set(5);
      await h.step();
      assert.equal(h.evaluator.rules()[0].health, 'ok');
      assert.deepEqual(names(h.events), ['firing:Q:warning']);
    });

    it('computes ratios of two metrics per group, with no value when the denominator is 0', async () => {
      const h = harness([{ name: 'ErrRate', metric: 'app.err', statistic: 'ratio', denominator: 'app.req', groupBy: ['route'], warning: 0.05, window: '1m' }]);
      const err = h.registry.counter({ name: 'app.err', description: '', unit: '1' });
      const req = h.registry.counter({ name: 'app.req', description: '', unit: '1' });
      const rA = req.series({ route: '/a' });
      req.series({ route: '/b' });
      const eA = err.series({ route: '/a' });
      await h.step();
      rA.add(100); eA.add(10);
      await h.step();
      assert.deepEqual(h.evaluator.active().map((a) => [a.labels.route, a.value]), [['/a', 0.1]]);
      assert.equal(h.evaluator.rules()[0].series, 1); // /b had 0 requests: x/0 has no value
    });

    it('renders annotation templates with the value and labels', async () => {
      const h = harness([{ name: 'Hot', metric: 'app.temp', statistic: 'last', critical: 50, groupBy: ['room'],
        annotations: { summary: 'Room {{labels.room}} at {{ value }} (> {{threshold}})' } }]);
      h.registry.gauge({ name: 'app.temp', description: '', unit: 'Cel' }).series({ room: 'r1' }).set(61.23456);
      await h.step();
      assert.equal(h.evaluator.active()[0].annotations.summary, 'Room r1 at 61.23 (> 50)');
    });

    it('contains a throwing listener: the other listeners still run and the evaluation completes', async () => {
      const h = harness([{ name: 'X', metric: 'app.x', statistic: 'last', warning: 0 }]);
      h.evaluator.events.on('firing', () => {
        throw new Error('listener bug');
      });
      h.registry.gauge({ name: 'app.x', description: '', unit: '1' }).series({}).set(1);
      await h.step();
      assert.deepEqual(names(h.events), ['firing:X:warning']);
    });

    it('keeps alert state across a restart of the evaluator in the same process', async () => {
      const rules = [{ name: 'R', metric: 'app.r', statistic: 'last' as const, warning: 1, for: '30s' }];
      const first = harness(rules, { stateKey: 'restart-test' });
      first.registry.gauge({ name: 'app.r', description: '', unit: '1' }).series({}).set(5);
      await first.step();
      await first.step();
      await first.evaluator.stop();
      // A new evaluator (same key) continues the pending alert instead of starting `for` over.
      const second = harness(rules, { stateKey: 'restart-test', registry: first.registry, clock: first.clock });
      assert.equal(second.evaluator.active()[0]?.state, 'pending');
      assert.equal(second.evaluator.active()[0]?.activeAt, T0 + 15_000);
      await second.step();
      assert.deepEqual(names(second.events), ['firing:R:warning']);
    });
  });

  describe('rule compilation', () => {
    it('rejects a metric name typo and an attribute typo with "did you mean"', () => {
      assert.throws(() => harness([
        { name: 'A', metric: 'websocket.mesages', statistic: 'rate', warning: 1 },
        { name: 'B', metric: 'websocket.errors', statistic: 'rate', warning: 1, groupBy: ['ws.rol'] },
        { name: 'C', metric: 'websocket.errors', statistic: 'rate', warning: 1, annotations: { s: '{{labels.nope}} {{valu}}' } },
      ]), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /rules\[0:A\]\.metric: unknown metric "websocket\.mesages"; did you mean "websocket\.messages"\?/);
        assert.match(err.message, /rules\[1:B\]\.filter: metric "websocket\.errors" has no attribute "ws\.rol"; did you mean "ws\.role"\?/);
        assert.match(err.message, /\{\{labels\.nope\}\}: the alert has no label "nope"/);
        assert.match(err.message, /\{\{valu\}\}: unknown variable/);
        return true;
      });
    });

    it('reports a label typo on a metric outside the catalogue once its data arrives', async () => {
      const warnings: string[] = [];
      const h = harness([{ name: 'Orders', metric: 'orders.failed', statistic: 'increase', warning: 1, filter: { regoin: 'eu' } }],
        { logger: { info: () => {}, warn: (obj) => warnings.push(String(obj.problem ?? obj.warning)) } });
      h.registry.counter({ name: 'orders.failed', description: '', unit: '1' }).series({ region: 'eu' }).add(1);
      await h.step();
      const status = h.evaluator.rules()[0];
      assert.equal(status.health, 'error');
      assert.match(status.message ?? '', /metric "orders\.failed" has no attribute "regoin"; did you mean "region"\?/);
      assert.ok(warnings.some((w) => /did you mean "region"/.test(w)), warnings.join('\n'));
    });

    it('rejects levels in the wrong order and bad regular expressions', () => {
      assert.throws(() => harness([
        { name: 'A', metric: 'websocket.errors', statistic: 'rate', warning: 5, critical: 1 },
        { name: 'B', metric: 'websocket.errors', statistic: 'rate', warning: 1, filter: { 'error.type': '=~(' } },
      ]), /critical \(1\) is below warning \(5\)[\s\S]*invalid regular expression/);
    });
  });
});
