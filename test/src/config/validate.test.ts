import { strict as assert } from 'node:assert';
import { validateConfig, resolveConfig, ConfigError, defineConfig } from '../../../src/config/index';

function problemsOf(input: unknown): string[] {
  const r = validateConfig(input);
  assert.equal(r.ok, false, 'expected the configuration to be rejected');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('config', () => {
  describe('#resolveConfig', () => {
    it('fills in the specification defaults when only service.name is given', () => {
      const c = resolveConfig(defineConfig({ service: { name: 'chat-gateway' } }));
      assert.equal(c.thresholds.websocket.messageLatency.warning, 100);
      assert.equal(c.thresholds.websocket.messageLatency.critical, 500);
      assert.equal(c.thresholds.telegram.floodWait.critical, 20);
      assert.equal(c.thresholds.api.p99, 1000);
      assert.equal(c.thresholds.pools.database.maxSize, 20);
      assert.equal(c.thresholds.resources.storage.critical, 0.9);
      assert.equal(c.alerting.matrix.high.repeatIntervalMs, 300_000);
      assert.deepEqual(c.alerting.matrix.high.channels, ['slack', 'email', 'webhook']);
      assert.equal(c.alerting.matrix.low.maxRepeats, 1);
      assert.equal(c.instrumentations.telegram.healthCheckIntervalMs, 300_000);
      assert.equal(c.exporters.prometheus.port, 9464);
      assert.equal(c.exporters.otlp.enabled, false);
      assert.equal(c.rules.evaluationIntervalMs, 15_000);
    });

    it('keeps a one-line override and the neighbouring defaults', () => {
      const c = resolveConfig({ service: { name: 's' }, thresholds: { websocket: { messageLatency: { warning: 50 } } } });
      assert.equal(c.thresholds.websocket.messageLatency.warning, 50);
      assert.equal(c.thresholds.websocket.messageLatency.critical, 500);
    });

    it('parses rule durations written Prometheus style', () => {
      const c = resolveConfig({ service: { name: 's' }, rules: { custom: [{ name: 'slow_api', metric: 'http.server.request.duration', statistic: 'p95', critical: 0.5, for: '5m', window: '10m' }] } });
      assert.equal(c.rules.custom[0].for, 300_000);
      assert.equal(c.rules.custom[0].window, 600_000);
    });

    it('throws a ConfigError that lists every problem', () => {
      assert.throws(() => resolveConfig({ service: {}, logging: { level: 'loud' } }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 2);
        assert.match(err.message, /service\.name: is required/);
        assert.match(err.message, /logging\.level: expected one of/);
        return true;
      });
    });
  });

  describe('#validateConfig rejects', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['a missing service name', {}, /^service: is required/],
      ['a wrong type, naming the value', { service: { name: 's' }, thresholds: { websocket: { messageLatency: { warning: '100ms' } } } },
        /^thresholds\.websocket\.messageLatency\.warning: expected number, got "100ms"$/],
      ['a misspelt option', { service: { name: 's' }, exporters: { prometheus: { prot: 9464 } } }, /^exporters\.prometheus\.prot: unknown option/],
      ['an unknown top-level section', { service: { name: 's' }, thresholdz: {} }, /^thresholdz: unknown option/],
      ['a port out of range', { service: { name: 's' }, exporters: { prometheus: { port: 70000 } } }, /^exporters\.prometheus\.port: /],
      ['a critical level below warning', { service: { name: 's' }, thresholds: { resources: { cpu: { warning: 0.9, critical: 0.5 } } } },
        /^thresholds\.resources\.cpu: critical must be >= warning/],
      ['a ratio above 1', { service: { name: 's' }, thresholds: { rateLimits: { throttledRatio: 1.5 } } }, /^thresholds\.rateLimits\.throttledRatio: /],
      ['an invalid OTLP endpoint', { service: { name: 's' }, exporters: { otlp: { endpoint: 'not a url' } } }, /^exporters\.otlp\.endpoint: /],
      ['an unknown alert channel', { service: { name: 's' }, alerting: { matrix: { high: { channels: ['pager'] } } } },
        /^alerting\.matrix\.high\.channels\.0: expected one of "log", "slack"/],
      ['a metrics path without a slash', { service: { name: 's' }, exporters: { prometheus: { endpoint: 'metrics' } } }, /^exporters\.prometheus\.endpoint: must start with "\/"/],
      ['a rule without levels', { service: { name: 's' }, rules: { custom: [{ name: 'x', metric: 'm', statistic: 'max' }] } }, /^rules\.custom\.0\.warning: a rule needs a warning or a critical level/],
      ['a ratio rule without a denominator', { service: { name: 's' }, rules: { custom: [{ name: 'x', metric: 'm', statistic: 'ratio', warning: 1 }] } },
        /^rules\.custom\.0\.denominator: statistic "ratio" needs a denominator/],
      ['a bad duration', { service: { name: 's' }, rules: { custom: [{ name: 'x', metric: 'm', statistic: 'max', warning: 1, for: '5 minutes' }] } },
        /^rules\.custom\.0\.for: expected a duration like "30s"/],
      ['an invalid alert name', { service: { name: 's' }, rules: { custom: [{ name: 'high-cpu', metric: 'm', statistic: 'max', warning: 1 }] } }, /^rules\.custom\.0\.name: must match/],
      ['detailed health without a token', { service: { name: 's' }, health: { detailed: { enabled: true } } }, /^health\.detailed\.token: health\.detailed\.enabled needs/],
      ['a negative interval', { service: { name: 's' }, rules: { evaluationIntervalMs: -5 } }, /^rules\.evaluationIntervalMs: /],
    ];
    for (const [what, input, expected] of cases) {
      it(`${what}`, () => {
        const problems = problemsOf(input);
        assert.ok(problems.some((p) => expected.test(p)), `no problem matched ${expected}:\n${problems.join('\n')}`);
      });
    }

    it('never echoes a secret value in a type error', () => {
      const problems = problemsOf({ service: { name: 's' }, health: { detailed: { enabled: true, token: 123456789012345 } } });
      assert.ok(problems.some((p) => p.startsWith('health.detailed.token: expected string')));
      assert.ok(!problems.join('\n').includes('123456789012345'));
    });
  });
});
