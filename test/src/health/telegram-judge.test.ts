import { strict as assert } from 'node:assert';
import { resolveConfig } from '../../../src/config/index';
import { buildDefaultRules } from '../../../src/rules/index';
import { registerComponentReports } from '../../../src/sdk/component-reports';
import { HEALTH_ANNOTATION } from '../../../src/health/rule-judge';
import type { ComponentReportProvider, Health } from '../../../src/health/types';
import type { RateLimits } from '../../../src/limits/types';
import type { TelegramTelemetry } from '../../../instrumentations/telegram/telegram-telemetry';
import type { TelegramHealthReport } from '../../../instrumentations/telegram/telegram-health';
import { METRIC_TELEGRAM_FLOOD_WAITS } from '../../../instrumentations/telegram/semconv';
import type { Alert } from '../../../src/evaluator/types';
import { harness } from '../evaluator/helpers';

/** The module's figures, whatever the traffic: only the judge (or the session) decides the status. */
function telegramStub(sessionHealthy?: boolean): TelegramTelemetry {
  const session = { id: 's', health: { healthy: sessionHealthy, lastUsed: undefined, errorCount: 0, performance: { calls: 0, failures: 0, avgLatencyMs: 0 } },
    checks: 0, recoveries: 0, failovers: 0, lastAction: 'none' };
  const report = {
    metrics: { messageLatency: [], dcLatency: {}, floodWait: 0, migrations: 0, updateAge: 0, reconnects: 0 },
    ...(sessionHealthy === undefined ? {} : { session, sessions: [session] }),
    timestamp: new Date(0).toISOString(),
  } as unknown as TelegramHealthReport;
  return { report: async () => report } as unknown as TelegramTelemetry;
}

function register(telegram: TelegramTelemetry, active: () => Alert[]): () => Promise<Record<string, unknown>> {
  const providers = new Map<string, ComponentReportProvider>();
  const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
  registerComponentReports(health, { websocket: undefined, telegram, limits: { health: () => ({ store: { fallback: false } }) } as unknown as RateLimits, alerts: { active } });
  return async () => (await providers.get('telegram')!()) as Record<string, unknown>;
}

describe('/health/telegram judged by the evaluator', () => {
  it('agrees with the Telegram health alerts at every evaluation of a scripted history', async () => {
    const rules = buildDefaultRules(resolveConfig({ service: { name: 'judge' } })).filter((r) => r.annotations[HEALTH_ANNOTATION] === 'telegram');
    assert.deepEqual(rules.map((r) => r.name).sort(), ['TelegramDcLatencyHigh', 'TelegramFloodWaitsHigh', 'TelegramRpcLatencyHigh']);
    const h = harness(rules);
    const report = register(telegramStub(), () => h.evaluator.active());
    const floodWaits = h.registry.counter({ name: METRIC_TELEGRAM_FLOOD_WAITS, description: '', unit: '1' }).series({});
    // One flood wait per 15 s step for 25 steps (past warning 5, then critical 20 per hour), then an hour and more of calm.
    const script = [...Array<number>(4).fill(0), ...Array<number>(25).fill(1), ...Array<number>(250).fill(0)];
    const seen = new Set<string>();
    for (const [i, n] of script.entries()) {
      if (n > 0) floodWaits.add(n);
      await h.step();
      const firing = h.evaluator.active().filter((a) => a.state === 'firing' && a.annotations[HEALTH_ANNOTATION] === 'telegram');
      const expected = firing.some((a) => a.severity === 'critical') ? 'unhealthy' : firing.length > 0 ? 'degraded' : 'healthy';
      const body = await report();
      assert.equal(body.status, expected, `step ${i}`);
      const d = body.decidedBy as { rule: string; field: string } | null;
      if (expected !== 'healthy') assert.deepEqual([d?.rule, d?.field], ['TelegramFloodWaitsHigh', 'floodWait']);
      else assert.equal(d, null);
      seen.add(expected);
    }
    assert.deepEqual([...seen].sort(), ['degraded', 'healthy', 'unhealthy']);
  });

  it('is unhealthy while the monitored session is down, and says so', async () => {
    const body = await register(telegramStub(false), () => [])();
    assert.equal(body.status, 'unhealthy');
    assert.deepEqual(body.decidedBy, { rule: null, field: 'session.health.healthy', value: 0, level: 'critical' });
  });
});
