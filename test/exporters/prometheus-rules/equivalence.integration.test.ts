import assert from 'node:assert/strict';
import { ruleSchema } from '../../../src/config/schema/rules';
import type { RuleInput } from '../../../src/evaluator/types';
import { renderRuleFile } from '../../../exporters/prometheus-rules';
import { STEP_MS, counterFrom, evaluatorFiring, firedSeverities, promtoolTestRules, repeat, stepsOf, type Series } from './equivalence-harness';

/**
 * For a series history, Prometheus (promtool test rules on the generated rule file) and the
 * in-process evaluator fire and resolve the same alerts at the same steps. The expected alerts
 * come from running the evaluator over the same history; promtool checks them at every step.
 *
 * Histories are chosen where the two agree: counters and histograms are flat for the first
 * window (Prometheus extrapolates `rate`/`increase` while a window is only partly covered; the
 * evaluator does not) and samples fall on the window's edges (step 15 s divides every window).
 */

interface Fixture {
  title: string;
  rule: RuleInput;
  series: Series[];
}

const FIXTURES: Fixture[] = [
  {
    title: 'a gauge `last` threshold with for and keep_firing_for, grouped by a dotted attribute',
    rule: { name: 'PoolWaiting', metric: 'db.client.connection.pending_requests', statistic: 'last', groupBy: ['db.client.connection.pool.name'],
      warning: 5, critical: 20, for: '30s', keepFiringFor: '15s', labels: { area: 'database' },
      annotations: { summary: '{{alertname}}: pool {{labels.db.client.connection.pool.name}} above {{threshold}} ({{severity}}, {{labels.area}})' } },
    series: [
      { kind: 'updown', metric: 'db.client.connection.pending_requests', labels: { 'db.client.connection.pool.name': 'main' },
        values: [0, 1, 8, 8, 8, 25, 25, 25, 25, 3, 25, 3, 3, 3, 9, 2, 9, 9, 9, 9, 0, 0] },
      { kind: 'updown', metric: 'db.client.connection.pending_requests', labels: { 'db.client.connection.pool.name': 'reports' },
        values: [2, 2, 2, 2, 6, 6, 6, 6, 6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
    ],
  },
  {
    title: 'a counter `increase` with a negative filter',
    rule: { name: 'FloodWaits', metric: 'telegram.flood_waits', statistic: 'increase', filter: { 'rpc.method': '!=help.GetConfig' }, window: '1m',
      warning: 5, critical: 12, labels: { area: 'telegram' }, annotations: { summary: 'more than {{threshold}} flood waits per minute' } },
    series: [
      { kind: 'counter', metric: 'telegram.flood_waits', labels: { 'rpc.method': 'messages.SendMessage' },
        values: counterFrom([3, ...repeat(5, 0), 2, 2, 2, 2, 5, 5, 5, 0, 0, 0, 0, 0, 1, 0]) },
      { kind: 'counter', metric: 'telegram.flood_waits', labels: { 'rpc.method': 'help.GetConfig' },
        values: counterFrom([0, ...repeat(5, 0), 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]) },
    ],
  },
  {
    title: 'a histogram p95 in ms with for',
    rule: { name: 'ApiSlow', metric: 'http.server.request.duration', statistic: 'p95', scale: 1000, window: '1m', for: '15s',
      warning: 200, critical: 800, labels: { area: 'api' }, annotations: { summary: 'API p95 above {{threshold}} ms' } },
    series: [
      { kind: 'histogram', metric: 'http.server.request.duration', labels: { 'http.route': '/x' }, boundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        observations: [...repeat(6, repeat(20, 0.02)), ...repeat(6, [...repeat(15, 0.02), ...repeat(5, 0.4)]), ...repeat(3, repeat(20, 2)), ...repeat(8, repeat(20, 0.02))] },
    ],
  },
  {
    title: 'a ratio of two counters',
    rule: { name: 'WsErrors', metric: 'websocket.errors', statistic: 'ratio', denominator: 'websocket.messages', window: '1m',
      warning: 0.1, critical: 0.5, labels: { area: 'websocket' }, annotations: { summary: 'WebSocket errors per message above {{threshold}}' } },
    series: [
      { kind: 'counter', metric: 'websocket.messages', labels: { 'ws.role': 'server', 'network.io.direction': 'receive' }, values: counterFrom([100, ...repeat(21, 100)]) },
      { kind: 'counter', metric: 'websocket.errors', labels: { 'ws.role': 'server', 'error.type': 'parse' },
        values: counterFrom([0, ...repeat(5, 0), 20, 20, 20, 20, 80, 80, 80, 80, 80, 0, 0, 0, 0, 0, 0, 0]) },
    ],
  },
  {
    title: 'a counter `rate` grouped by an attribute, with for',
    rule: { name: 'MessageFlood', metric: 'websocket.messages', statistic: 'rate', groupBy: ['ws.role'], window: '1m', for: '15s',
      warning: 2, critical: 10, labels: { area: 'websocket' }, annotations: { summary: '{{labels.ws.role}} above {{threshold}}/s' } },
    series: [
      { kind: 'counter', metric: 'websocket.messages', labels: { 'ws.role': 'server', 'network.io.direction': 'receive' },
        values: counterFrom([0, ...repeat(5, 0), ...repeat(6, 60), ...repeat(5, 300), ...repeat(8, 0)]) },
      { kind: 'counter', metric: 'websocket.messages', labels: { 'ws.role': 'client', 'network.io.direction': 'receive' },
        values: counterFrom([0, ...repeat(24, 15)]) },
    ],
  },
  {
    // 36 per 15 s is 2.4/s; Prometheus computes 720 * (1/300) = 2.4000000000000004 > 2.4, so it
    // fires, and the evaluator must compute the rate the same way to fire too.
    title: 'a counter `rate` exactly on its level (rate multiplies by 1/range, as Prometheus does)',
    rule: { name: 'OnTheLevel', metric: 'websocket.messages', statistic: 'rate', window: '5m', warning: 2.4,
      labels: { area: 'websocket' }, annotations: { summary: 'above {{threshold}}/s' } },
    series: [
      { kind: 'counter', metric: 'websocket.messages', labels: { 'ws.role': 'server', 'network.io.direction': 'receive' },
        values: counterFrom([0, ...repeat(20, 0), ...repeat(24, 36), ...repeat(22, 0)]) },
    ],
  },
  {
    title: 'a gauge `avg` over a window',
    rule: { name: 'MemoryAvgHigh', metric: 'process.memory.utilization', statistic: 'avg', window: '1m', warning: 0.6, critical: 0.85,
      labels: { area: 'resources' }, annotations: { summary: 'memory average above {{threshold}}' } },
    series: [
      { kind: 'gauge', metric: 'process.memory.utilization', labels: {},
        values: [0.5, 0.5, 0.5, 0.5, 0.5, 0.7, 0.7, 0.7, 0.7, 0.7, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4] },
    ],
  },
];

describe('exporters/prometheus-rules: Prometheus and the evaluator fire the same alerts (promtool test rules)', function () {
  this.timeout(60_000);

  for (const fx of FIXTURES) {
    it(fx.title, async () => {
      const steps = stepsOf(fx.series);
      const expected = await evaluatorFiring(fx.rule, fx.series, steps);
      // The history must exercise the rule: something fires and it resolves again.
      assert.ok(expected.some((e) => e.length > 0), 'the evaluator fires nothing on this history');
      assert.equal(expected[steps - 1].length, 0, 'the evaluator does not resolve by the end of the history');
      assert.deepEqual(firedSeverities(expected), ['critical', 'warning'].filter((s) => fx.rule[s as 'warning' | 'critical'] !== undefined));

      const rules = renderRuleFile([ruleSchema().parse(fx.rule)], { evaluationIntervalMs: STEP_MS });
      const res = promtoolTestRules(rules, fx.rule.name, fx.series, expected);
      assert.equal(res.status, 0, `promtool test rules failed in ${res.dir}:\n${res.output}`);
    });
  }
});
