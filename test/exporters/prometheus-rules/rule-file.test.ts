import assert from 'node:assert/strict';
import { buildDefaultRules } from '../../../src/rules/default-rules';
import { resolveConfig } from '../../../src/config';
import { ruleSchema } from '../../../src/config/schema/rules';
import { buildRuleFile, promNumber, renderRuleFile, toPrometheusTemplate, valuePromql } from '../../../exporters/prometheus-rules';
import { promtool, tempFiles } from './promtool';

const base = { service: { name: 'svc' } };

function check(yaml: string): void {
  const dir = tempFiles({ 'rules.yml': yaml });
  const res = promtool(['check', 'rules', 'rules.yml'], dir);
  assert.equal(res.status, 0, res.output);
}

describe('exporters/prometheus-rules rule file', () => {
  it('turns the default rule pack into a rule file promtool accepts, one rule per severity, grouped by area', () => {
    const config = resolveConfig(base);
    const rules = buildDefaultRules(config);
    const yaml = renderRuleFile(rules, { evaluationIntervalMs: config.rules.evaluationIntervalMs });
    check(yaml);
    const file = buildRuleFile(rules);
    const count = rules.reduce((n, r) => n + (r.warning !== undefined ? 1 : 0) + (r.critical !== undefined ? 1 : 0), 0);
    assert.equal(file.groups.reduce((n, g) => n + g.rules.length, 0), count);
    assert.deepEqual(file.groups.map((g) => g.name).sort(), [...new Set(rules.map((r) => `pulseguard-${r.labels.area}`))].sort());
    const latency = file.groups.flatMap((g) => g.rules).filter((r) => r.alert === 'WebSocketMessageLatencyHigh');
    assert.deepEqual(latency.map((r) => r.labels.severity), ['critical', 'warning']);
    assert.equal(latency[1].expr, '(histogram_quantile(0.95, sum by (le, ws_role, job, instance) (rate(websocket_message_latency_bucket[5m])))) * 1000 > 100');
    assert.equal(latency[1].for, '1m');
  });

  it('follows configured thresholds and custom rules (filters, ratio, keep_firing_for) and promtool accepts them', () => {
    const config = resolveConfig({
      ...base,
      thresholds: { websocket: { messageLatency: { warning: 150 } } },
      rules: {
        disable: ['CpuHigh'],
        custom: [
          { name: 'QueueDeep', metric: 'app.queue.depth', statistic: 'last', groupBy: ['queue.name'], warning: 10, critical: 100, comparison: '>=', for: '1m', keepFiringFor: '2m',
            labels: { area: 'app', team: 'core' }, annotations: { summary: '{{labels.queue.name}} at {{value}} over {{threshold}} ({{severity}}, {{labels.team}})' } },
          { name: 'BadGateway', metric: 'http.server.request.duration', statistic: 'ratio', denominator: 'http.server.request.duration',
            filter: { 'http.response.status_code': '=~50[23]', 'http.route': '!=/health' }, warning: 0.01, window: '10m' },
        ],
      },
    });
    const rules = buildDefaultRules(config);
    const yaml = renderRuleFile(rules);
    check(yaml);
    assert.match(yaml, /ws_role, job, instance\) \(rate\(websocket_message_latency_bucket\[5m\]\)\)\)\) \* 1000 > 150"/);
    assert.doesNotMatch(yaml, /CpuHigh/);
    const file = buildRuleFile(rules);
    const queue = file.groups.flatMap((g) => g.rules).filter((r) => r.alert === 'QueueDeep');
    assert.equal(queue[0].expr, 'sum by (queue_name, job, instance) (app_queue_depth) >= 100');
    assert.equal(queue[0].keep_firing_for, '2m');
    assert.equal(queue[1].annotations.summary, '{{ $labels.queue_name }} at {{ $value }} over 10 (warning, core)');
    const bad = file.groups.flatMap((g) => g.rules).find((r) => r.alert === 'BadGateway');
    assert.equal(bad?.expr, '(sum by (job, instance) (increase(http_server_request_duration_count{http_response_status_code=~"50[23]", http_route!="/health"}[10m]))'
      + ' or 0 * sum by (job, instance) (increase(http_server_request_duration_count[10m])))'
      + ' / (sum by (job, instance) (increase(http_server_request_duration_count[10m])) > 0) > 0.01');
  });

  it('maps each statistic to its PromQL', () => {
    const v = (r: Record<string, unknown>) => valuePromql(ruleSchema().parse({ name: 'X', warning: 1, ...r }));
    assert.equal(v({ metric: 'websocket.messages', statistic: 'rate', window: '1m' }), 'sum by (job, instance) (rate(websocket_messages_total[1m]))');
    assert.equal(v({ metric: 'telegram.flood_waits', statistic: 'increase', window: '1h' }), 'sum by (job, instance) (increase(telegram_flood_waits_total[1h]))');
    assert.equal(v({ metric: 'process.memory.utilization', statistic: 'avg' }), 'avg by (job, instance) (avg_over_time(process_memory_utilization[5m]))');
    assert.equal(v({ metric: 'http.server.request.duration', statistic: 'max' }), 'histogram_quantile(1, sum by (le, job, instance) (rate(http_server_request_duration_bucket[5m])))');
    assert.equal(v({ metric: 'http.server.request.duration', statistic: 'avg' }),
      'sum by (job, instance) (increase(http_server_request_duration_sum[5m])) / sum by (job, instance) (increase(http_server_request_duration_count[5m]))');
    assert.equal(v({ metric: 'nodejs.eventloop.utilization', statistic: 'max', window: '1m' }), 'max by (job, instance) (max_over_time(nodejs_eventloop_utilization[1m]))');
    assert.equal(v({ metric: 'db.client.operation.duration', statistic: 'p99', groupBy: ['db.operation.name'] }),
      'histogram_quantile(0.99, sum by (le, db_operation_name, job, instance) (rate(db_client_operation_duration_bucket[5m])))');
    assert.equal(v({ metric: 'websocket.connections.closed', statistic: 'increase', filter: { 'websocket.close.code': '!~1000|1001' } }),
      'sum by (job, instance) (increase(websocket_connections_closed_total{websocket_close_code!~"1000|1001"}[5m]))');
  });

  it('writes thresholds and scales that parse back to the exact number the evaluator compares with', () => {
    const numbers = [1 / 3, 0.1 + 0.2, 1e-7, 2.5, 80, 1e21];
    for (const n of numbers) assert.equal(Number(promNumber(n)), n, promNumber(n));
    const rules = numbers.map((n, i) => ruleSchema().parse({ name: `N${i}`, metric: 'process.cpu.time', statistic: 'rate', window: '1m', scale: n, warning: n }));
    check(renderRuleFile(rules, { evaluationIntervalMs: 15_000 }));
  });

  it('maps evaluator annotation templates to Prometheus templates', () => {
    const rule = { name: 'R', labels: { area: 'db' } };
    assert.equal(toPrometheusTemplate('{{alertname}} {{ value }} > {{threshold}} {{severity}} {{labels.db.operation.name}} {{labels.area}}', 0.5, 'critical', rule),
      'R {{ $value }} > 0.5 critical {{ $labels.db_operation_name }} db');
  });
});
