import { strict as assert } from 'node:assert';
import { resolveConfig, validateConfig } from '../../../src/config/index';

function problemsOf(input: unknown): string[] {
  const r = validateConfig(input);
  assert.equal(r.ok, false, 'expected the configuration to be rejected');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

const service = { name: 's' };

describe('config problem messages', () => {
  it('name the value that is out of range, and never a secret one', () => {
    assert.deepEqual(problemsOf({ service, exporters: { prometheus: { port: 70000 } } }), ['exporters.prometheus.port: expected a number <= 65535, got 70000']);
    assert.deepEqual(problemsOf({ service, thresholds: { api: { p99: 0 } } }), ['thresholds.api.p99: expected a number > 0, got 0']);
    assert.deepEqual(problemsOf({ service, errors: { rules: [{ class: 'network', sqlstateClasses: ['123'] }] } }),
      ['errors.rules.0.sqlstateClasses.0: expected exactly 2 characters, got "123"']);
    assert.deepEqual(problemsOf({ service, alerting: { silences: [{ matchers: [], endsAt: 'tomorrow' }] } }), [
      'alerting.silences.0.matchers: expected at least 1 item, got 0',
      'alerting.silences.0.endsAt: expected an ISO 8601 date-time, got "tomorrow"',
    ]);
    assert.deepEqual(problemsOf({ service, rateLimits: { redisUrl: '' } }), ['rateLimits.redisUrl: expected at least 1 character']);
    const webhook = 'hooks.slack.example/T000/B000/XXXX';
    const slack = problemsOf({ service, alerting: { channels: { slack: { webhookUrl: webhook } } } });
    assert.deepEqual(slack, ['alerting.channels.slack.webhookUrl: expected a URL']);
  });

  it('keep the message a schema sets for a check', () => {
    assert.deepEqual(problemsOf({ service, health: { detailed: { enabled: true, token: 'short' } } }), ['health.detailed.token: use a token of 16 characters or more']);
    assert.deepEqual(problemsOf({ service: { name: '' } }), ['service.name: service.name is required (e.g. "chat-gateway")']);
  });

  it('reject Infinity where a finite number is meant, as a wrong type', () => {
    assert.ok(problemsOf({ service, thresholds: { api: { p95: Infinity } } }).includes('thresholds.api.p95: expected number, got Infinity'));
    assert.ok(problemsOf({ service, rules: { custom: [{ name: 'x', metric: 'm', statistic: 'max', critical: -Infinity }] } })
      .includes('rules.custom.0.critical: expected number, got -Infinity'));
  });

  it('name the problem inside the union option the value was written for', () => {
    assert.deepEqual(problemsOf({ service, rateLimits: { policies: { 'api.x': { points: 'a', durationMs: 1 } } } }), ['rateLimits.policies.api.x.points: expected number, got "a"']);
    assert.deepEqual(problemsOf({ service, rateLimits: { policies: { 'api.x': { points: 1 } } } }), ['rateLimits.policies.api.x.durationMs: is required']);
    assert.deepEqual(problemsOf({ service, rateLimits: { policies: { 'api.x': true } } }), ['rateLimits.policies.api.x: expected object or false, got true']);
    assert.deepEqual(problemsOf({ service, alerting: { groupWaitMs: true } }), ['alerting.groupWaitMs: expected number or string, got true']);
  });

  describe('defaults read from the environment', () => {
    const NAMES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'PULSEGUARD_JOURNAL_DIR', 'APP_VERSION'] as const;
    let saved: Record<string, string | undefined>;
    beforeEach(() => {
      saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
    });
    afterEach(() => {
      for (const n of NAMES) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
    });

    it('count an empty variable as unset (a default is validated like a written value)', () => {
      for (const n of NAMES) process.env[n] = '';
      const c = resolveConfig({ service });
      assert.equal(c.exporters.otlp.endpoint, 'http://localhost:4318');
      assert.equal(c.alerting.journal.dir, '.pulseguard');
      assert.notEqual(c.service.version, '');
    });

    it('use a set variable, and report one that is invalid at the option it sets', () => {
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://collector:4318';
      assert.equal(resolveConfig({ service }).exporters.otlp.endpoint, 'http://collector:4318');
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'collector';
      assert.deepEqual(problemsOf({ service }), ['exporters.otlp.endpoint: expected a URL, got "collector"']);
    });
  });
});
