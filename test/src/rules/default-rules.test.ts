import { strict as assert } from 'node:assert';
import { resolveConfig, ConfigError } from '../../../src/config/index';
import { buildDefaultRules, describeEffectiveRules } from '../../../src/rules/index';
import { compileRules } from '../../../src/evaluator/rule-compiler';

describe('buildDefaultRules', () => {
  const base = { service: { name: 'rules-test' } };

  it('compiles every rule of the spec pack against the catalogue without problems or warnings', () => {
    const rules = buildDefaultRules(resolveConfig(base), { cpuCount: 2 });
    assert.ok(rules.length >= 25, `${rules.length} rules`);
    const result = compileRules(rules);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.compiled.length, rules.length);
  });

  it('carries the specification numbers', () => {
    const byName = new Map(buildDefaultRules(resolveConfig(base), { cpuCount: 4 }).map((r) => [r.name, r]));
    const ws = byName.get('WebSocketMessageLatencyHigh');
    assert.equal(ws?.warning, 100);
    assert.equal(ws?.critical, 500);
    assert.equal(ws?.scale, 1000);
    assert.equal(byName.get('TelegramFloodWaitsHigh')?.window, 3_600_000);
    assert.equal(byName.get('TelegramFloodWaitsHigh')?.critical, 20);
    assert.equal(byName.get('ApiLatencyMaxHigh')?.critical, 2000);
    assert.equal(byName.get('DbPoolWaitingHigh')?.critical, 10);
    assert.equal(byName.get('DbPoolAvailableLow')?.comparison, '<');
    assert.equal(byName.get('CpuHigh')?.scale, 0.25);
    assert.equal(byName.get('StorageHigh')?.critical, 0.9);
    assert.equal(byName.get('HighThrottleRate')?.warning, 0.1);
    assert.equal(byName.get('ErrorsHigh')?.critical, 10);
    assert.equal(byName.get('ErrorsHigh')?.window, 60_000);
    assert.equal(byName.get('PerformanceDegraded')?.labels.priority, 'low');
  });

  it('changes a rule when one threshold is overridden in the configuration', () => {
    const cfg = resolveConfig({ ...base, thresholds: { websocket: { messageLatency: { warning: 150 } }, alertConfig: { errors: { threshold: 3 } } } });
    const byName = new Map(buildDefaultRules(cfg).map((r) => [r.name, r]));
    assert.equal(byName.get('WebSocketMessageLatencyHigh')?.warning, 150);
    assert.equal(byName.get('WebSocketMessageLatencyHigh')?.critical, 500);
    assert.equal(byName.get('ErrorsHigh')?.critical, 3);
  });

  it('disables, adds and replaces rules, and accepts extra rules from other areas', () => {
    const cfg = resolveConfig({
      ...base,
      rules: {
        disable: ['StorageHigh'],
        custom: [
          { name: 'ApiLatencyP95High', metric: 'http.server.request.duration', statistic: 'p95', scale: 1000, warning: 300 },
          { name: 'OrdersFailing', metric: 'orders.failed', statistic: 'increase', window: '10m', critical: 1 },
        ],
      },
    });
    const rules = buildDefaultRules(cfg, { extraRules: [{ name: 'PgPoolRecycled', metric: 'db.client.connection.count', statistic: 'last', warning: 50 }] });
    const byName = new Map(rules.map((r) => [r.name, r]));
    assert.equal(byName.has('StorageHigh'), false);
    assert.equal(byName.get('ApiLatencyP95High')?.warning, 300);
    assert.equal(byName.get('OrdersFailing')?.window, 600_000);
    assert.equal(byName.get('PgPoolRecycled')?.warning, 50);
  });

  it('reports a disable entry that names no rule, with a suggestion', () => {
    const cfg = resolveConfig({ ...base, rules: { disable: ['StorageHihg'] } });
    assert.throws(() => buildDefaultRules(cfg), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /rules\.disable\[0\]: no rule named "StorageHihg"; did you mean "StorageHigh"\?/);
      return true;
    });
  });

  it('uses no defaults when rules.defaults is false', () => {
    const cfg = resolveConfig({ ...base, rules: { defaults: false, custom: [{ name: 'Only', metric: 'websocket.errors', statistic: 'rate', warning: 1 }] } });
    assert.deepEqual(buildDefaultRules(cfg).map((r) => r.name), ['Only']);
  });
});

describe('describeEffectiveRules', () => {
  it('lists one line per effective rule, with the expression, levels and timing', () => {
    const lines = describeEffectiveRules(resolveConfig({ service: { name: 'x' }, rules: { disable: ['CpuHigh'] } }));
    assert.ok(lines.includes('ApiErrorRateHigh: ratio(http.server.request.duration{http.response.status_code=~"5.."} / http.server.request.duration[5m]) > warning 0.01, critical 0.05 for 1m'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('WebSocketMessageLatencyHigh: p95(websocket.message.latency[5m]) by (ws.role) * 1000 > warning 100, critical 500 for 1m')));
    assert.equal(lines.some((l) => l.startsWith('CpuHigh')), false);
  });

  it('says so when the evaluator is disabled', () => {
    assert.deepEqual(describeEffectiveRules(resolveConfig({ service: { name: 'x' }, rules: { enabled: false } })), ['(rules.enabled is false: the evaluator does not run)']);
  });
});
