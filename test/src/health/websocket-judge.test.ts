import { strict as assert } from 'node:assert';
import { resolveConfig } from '../../../src/config/index';
import { buildDefaultRules, describeEffectiveRules } from '../../../src/rules/index';
import { registerComponentReports } from '../../../src/sdk/component-reports';
import { HEALTH_ANNOTATION } from '../../../src/health/rule-judge';
import type { ComponentReport, ComponentReportProvider, Health } from '../../../src/health/types';
import type { RateLimits } from '../../../src/limits/types';
import type { WebSocketTelemetry } from '../../../instrumentations/ws/types';
import { WsHealthMonitor, type WsHealthCounts } from '../../../instrumentations/ws/health';
import { ATTR_WS_CLOSE_CODE, METRIC_WS_CONNECTIONS_CLOSED, METRIC_WS_ERRORS, METRIC_WS_MESSAGES } from '../../../instrumentations/ws/semconv';
import type { Alert } from '../../../src/evaluator/types';
import { harness, type Harness } from '../evaluator/helpers';

const WINDOW_MS = 60_000;

/** The default pack's rules that judge /health/websocket, over a private registry and fake clock. */
function setup(): { h: Harness; report: () => Promise<ComponentReport>; counts: WsHealthCounts } {
  const rules = buildDefaultRules(resolveConfig({ service: { name: 'judge' } })).filter((r) => r.annotations[HEALTH_ANNOTATION] === 'websocket');
  assert.ok(rules.length >= 2, 'the default pack tags the WebSocket health rules');
  const h = harness(rules);
  // The area's own monitor over the same counts: it supplies the body's metrics, not the status.
  const counts: WsHealthCounts = { messages: 0, errors: 0, latencySum: 0, latencyCount: 0, closes: 0, abnormalCloses: 0 };
  const monitor = new WsHealthMonitor(WINDOW_MS, () => ({ ...counts }), () => ({ clientCount: 0, activeUsers: 0 }), () => h.clock.now);
  const providers = new Map<string, ComponentReportProvider>();
  const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
  const websocket = { health: () => monitor.snapshot() } as unknown as WebSocketTelemetry;
  const limits = { health: () => ({ status: 'healthy' }) } as unknown as RateLimits;
  registerComponentReports(health, { websocket, telegram: undefined, limits, alerts: h.evaluator });
  return { h, counts, report: async () => providers.get('websocket')!() };
}

/** What the WebSocket alerts say: the worst firing alert of a rule tagged for /health/websocket. */
function statusFromAlerts(active: readonly Alert[]): string {
  const firing = active.filter((a) => a.state === 'firing' && a.annotations[HEALTH_ANNOTATION] === 'websocket');
  if (firing.some((a) => a.severity === 'critical')) return 'unhealthy';
  return firing.length > 0 ? 'degraded' : 'healthy';
}

describe('/health/websocket judged by the evaluator', () => {
  it('agrees with the WebSocket alerts at every evaluation of a scripted history', async () => {
    const { h, report } = setup();
    const messages = h.registry.counter({ name: METRIC_WS_MESSAGES, description: '', unit: '1' }).series({});
    const errors = h.registry.counter({ name: METRIC_WS_ERRORS, description: '', unit: '1' }).series({});
    const closed = h.registry.counter({ name: METRIC_WS_CONNECTIONS_CLOSED, description: '', unit: '1' });
    // Per 15 s step: [messages, errors, abnormal closes]. Quiet, then 2% errors, then 10%, then drops, then quiet.
    const script: [number, number, number][] = [
      ...Array<[number, number, number]>(4).fill([1000, 0, 0]),
      ...Array<[number, number, number]>(8).fill([1000, 20, 0]),
      ...Array<[number, number, number]>(16).fill([1000, 100, 0]),
      ...Array<[number, number, number]>(4).fill([1000, 0, 3]),
      ...Array<[number, number, number]>(40).fill([1000, 0, 0]),
    ];
    const seen = new Set<string>();
    for (const [i, [m, e, drops]] of script.entries()) {
      messages.add(m);
      if (e > 0) errors.add(e);
      if (drops > 0) closed.series({ [ATTR_WS_CLOSE_CODE]: 1006 }).add(drops);
      await h.step();
      const active = h.evaluator.active();
      const body = await report();
      const expected = statusFromAlerts(active);
      assert.equal(body.status, expected, `step ${i}: endpoint ${String(body.status)}, alerts say ${expected}`);
      const decided = body.decidedBy as { rule: string; field: string; value: number; level: string } | null;
      if (expected === 'healthy') assert.equal(decided, null);
      else {
        const alert = active.find((a) => a.alertname === decided?.rule && a.state === 'firing' && a.severity === decided.level);
        assert.ok(alert, `step ${i}: decidedBy names a firing alert: ${JSON.stringify(decided)}`);
        assert.equal(decided?.value, alert.value);
      }
      assert.equal(body.judged, true);
      seen.add(expected);
    }
    assert.deepEqual([...seen].sort(), ['degraded', 'healthy', 'unhealthy'], 'the history walks through every status');
  });

  it('names the rule, field and value that decided a critical status', async () => {
    const { h, report } = setup();
    const messages = h.registry.counter({ name: METRIC_WS_MESSAGES, description: '', unit: '1' }).series({});
    const errors = h.registry.counter({ name: METRIC_WS_ERRORS, description: '', unit: '1' }).series({});
    for (let i = 0; i < 10; i++) {
      messages.add(100);
      errors.add(7);
      await h.step();
    }
    const body = await report();
    assert.equal(body.status, 'unhealthy');
    const d = body.decidedBy as { rule: string; field: string; value: number; level: string };
    assert.equal(d.rule, 'WebSocketErrorRateHigh');
    assert.equal(d.field, 'errorRate');
    assert.equal(d.level, 'critical');
    assert.ok(Math.abs(d.value - 0.07) < 1e-9, String(d.value));
  });

  it('regression: one abrupt client drop no longer answers unhealthy with connections 0 and errorRate 0', async () => {
    const { h, report, counts } = setup();
    await h.step();
    h.registry.counter({ name: METRIC_WS_CONNECTIONS_CLOSED, description: '', unit: '1' }).series({ [ATTR_WS_CLOSE_CODE]: 1006 }).add(1);
    counts.closes += 1;
    counts.abnormalCloses += 1;
    for (let i = 0; i < 8; i++) {
      await h.step();
      const body = await report();
      const metrics = body.metrics as { connections: number; errorRate: number };
      assert.equal(metrics.connections, 0);
      assert.equal(metrics.errorRate, 0);
      assert.equal(body.status, 'healthy', `evaluation ${i}: ${JSON.stringify(body)}`);
    }
  });

  it('answers the spec\'s /health/websocket fields from the area\'s figures', async () => {
    const providers = new Map<string, ComponentReportProvider>();
    const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
    const figures = { clientCount: 4, activeUsers: 2, messageRate: 10, errorRate: 0, averageLatency: 3, connectionStability: 1, timestamp: 't' };
    registerComponentReports(health, { websocket: { health: () => figures } as unknown as WebSocketTelemetry, telegram: undefined,
      limits: {} as RateLimits, alerts: { active: () => [] } });
    assert.deepEqual(await providers.get('websocket')!(), {
      metrics: { connections: 4, messageRate: 10, errorRate: 0, averageLatency: 3 }, timestamp: 't', status: 'healthy', decidedBy: null, judged: true,
    });
  });

  it('says it is healthy by default, not judged, without the evaluator', async () => {
    const providers = new Map<string, ComponentReportProvider>();
    const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
    const monitor = new WsHealthMonitor(WINDOW_MS, () => ({ messages: 0, errors: 0, latencySum: 0, latencyCount: 0, closes: 0, abnormalCloses: 0 }), () => ({ clientCount: 0, activeUsers: 0 }));
    registerComponentReports(health, { websocket: { health: () => monitor.snapshot() } as unknown as WebSocketTelemetry, telegram: undefined,
      limits: { health: () => ({ status: 'healthy' }) } as unknown as RateLimits, alerts: undefined });
    const body = await providers.get('websocket')!();
    assert.equal(body.status, 'healthy');
    assert.equal(body.judged, false);
    assert.equal(body.decidedBy, null);
    assert.match(String(body.note), /rules\.enabled is false/);
  });
});

describe('health rules in `pulseguard check`', () => {
  it('names the endpoint and field a rule judges', () => {
    const lines = describeEffectiveRules(resolveConfig({ service: { name: 'judge' } }));
    const line = lines.find((l) => l.startsWith('WebSocketErrorRateHigh:'));
    assert.match(String(line), / -> health \/health\/websocket errorRate$/);
    assert.ok(lines.some((l) => l.startsWith('HighThrottleRate:') && l.endsWith('-> health /health/rate-limits throttledRatio')));
  });
});
