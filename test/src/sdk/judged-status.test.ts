import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { resolveConfig } from '../../../src/config/index';
import { rateLimitsSchema } from '../../../src/config/schema/rate-limits';
import { buildDefaultRules } from '../../../src/rules/index';
import { registerComponentReports, type ReportingAreas } from '../../../src/sdk/component-reports';
import { createHealth } from '../../../src/health/create-health';
import { HEALTH_ANNOTATION } from '../../../src/health/rule-judge';
import type { ComponentName, Health } from '../../../src/health/types';
import { createRateLimits } from '../../../src/limits/limiter-registry';
import { createLogger } from '../../../src/logging/logger';
import type { Alert } from '../../../src/evaluator/types';
import { WsConnectionTracker } from '../../../instrumentations/ws/connection-tracker';
import { K_STATE } from '../../../instrumentations/ws/connection-state-key';
import { wsCollectors } from '../../../instrumentations/ws/metrics/collectors';
import { createStandaloneLimiter } from '../../../instrumentations/ws/standalone-limiter';
import type { WsSocketInternals } from '../../../instrumentations/ws/internal-types';
import type { WebSocketTelemetry } from '../../../instrumentations/ws/types';
import { telegramCollectors } from '../../../instrumentations/telegram/collectors';
import { TelegramHealth } from '../../../instrumentations/telegram/telegram-health';
import type { TelegramTelemetry } from '../../../instrumentations/telegram/telegram-telemetry';
import { harness, type Harness } from '../evaluator/helpers';

// The programmatic status of each area (what `telemetry.health.componentReport(name)` returns)
// must equal its endpoint's and the alerts' at every evaluation, and the area's own handle
// (`telemetry.websocket.health()`, `telemetry.limits.health()`, `telemetry.telegram.report()`)
// must not state a status of its own that could disagree. The areas are the real ones, over the
// evaluator's registry, driven through the collectors and the limiter as the app's traffic would.

const CONFIG = resolveConfig({ service: { name: 'judged' }, logging: { level: 'silent' } });
const CHECK_OF = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' } as const;
type Status = keyof typeof CHECK_OF;

/** What the alerts say: a firing critical alert of a rule tagged for the component is unhealthy, a firing warning degraded. */
function statusFromAlerts(component: ComponentName, active: readonly Alert[]): Status {
  const firing = active.filter((a) => a.state === 'firing' && a.annotations[HEALTH_ANNOTATION] === component);
  if (firing.some((a) => a.severity === 'critical')) return 'unhealthy';
  return firing.length > 0 ? 'degraded' : 'healthy';
}

interface Fixture {
  h: Harness;
  health: Health;
  server: Server;
  url: string;
}

/** The default pack's rules for `component`, a real telemetry.health over the fake clock, served on a port. */
async function fixture(component: ComponentName, areas: (h: Harness) => Omit<ReportingAreas, 'alerts'>): Promise<Fixture> {
  const rules = buildDefaultRules(CONFIG).filter((r) => r.annotations[HEALTH_ANNOTATION] === component);
  assert.ok(rules.length > 0, `the default pack has rules that judge ${component}`);
  const h = harness(rules);
  const { health } = createHealth({ config: CONFIG, logger: createLogger({ level: 'silent' }), finalShutdown: async () => {}, now: () => h.clock.now });
  registerComponentReports(health, { ...areas(h), alerts: h.evaluator });
  const server = createServer(health.handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { h, health, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * After an evaluation: the programmatic status, the endpoint and the alerts agree, and the area's
 * own snapshot states no other status. Returns the status.
 */
async function assertAgreement(f: Fixture, component: ComponentName, snapshot: object, step: number): Promise<Status> {
  const expected = statusFromAlerts(component, f.h.evaluator.active());
  const outcome = await f.health.componentReport(component);
  assert.ok(outcome, `step ${step}: ${component} has a report`);
  assert.equal(outcome.report.status, expected, `step ${step}: telemetry.health.componentReport('${component}') says ${String(outcome.report.status)}, the alerts ${expected}`);
  const res = await fetch(`${f.url}/health/${component}`);
  const body = (await res.json()) as { status: string };
  assert.equal(body.status, CHECK_OF[expected], `step ${step}: GET /health/${component} says ${body.status}`);
  if (component !== 'rate-limits') assert.equal(res.status, expected === 'healthy' ? 200 : 503, `step ${step}: HTTP status`);
  const own = (snapshot as { status?: unknown }).status;
  assert.ok(own === undefined || own === expected, `step ${step}: the ${component} handle states its own status ${String(own)} while the judge says ${expected}`);
  return expected;
}

async function close(f: Fixture): Promise<void> {
  await new Promise((r) => f.server.close(r));
}

describe('the programmatic status of each area is the one judge\'s', () => {
  it('websocket: telemetry.websocket.health() and componentReport agree with /health/websocket and the alerts at every evaluation', async () => {
    let tracker: WsConnectionTracker | undefined;
    let websocket: WebSocketTelemetry | undefined;
    const f = await fixture('websocket', (h) => {
      tracker = new WsConnectionTracker(h.registry, { config: {}, limiter: createStandaloneLimiter({}), healthWindowMs: 60_000, handlerTimingSampleEvery: 1, messageSpanRatio: 0, sendExtras: false }, () => trace.getTracer('judged'));
      const t = tracker;
      websocket = { health: () => t.healthMonitor.snapshot(), reconnectWithBackoff: () => Promise.reject(new Error('unused')) };
      return { websocket, telegram: undefined, limits: createRateLimits({ config: CONFIG.rateLimits, metrics: h.registry }) };
    });
    try {
      const t = tracker!;
      const server = t.connections;
      const [serverRole] = wsCollectors(f.h.registry).handles;
      // Per 15 s step: [messages, errors, abnormal drops]. Quiet, 2% errors, 10% errors, a burst of drops, one drop, quiet.
      const script: [number, number, number][] = [
        ...Array<[number, number, number]>(3).fill([1000, 0, 0]),
        ...Array<[number, number, number]>(8).fill([1000, 20, 0]),
        ...Array<[number, number, number]>(12).fill([1000, 100, 0]),
        ...Array<[number, number, number]>(4).fill([1000, 0, 3]),
        ...Array<[number, number, number]>(30).fill([1000, 0, 0]),
        [1000, 0, 1],
        ...Array<[number, number, number]>(6).fill([1000, 0, 0]),
      ];
      const seen = new Set<Status>();
      for (const [i, [messages, errors, drops]] of script.entries()) {
        serverRole.inText.add(messages);
        for (let e = 0; e < errors; e++) t.messages.error('server', 'handler_error');
        for (let d = 0; d < drops; d++) {
          const socket = { _isServer: true } as WsSocketInternals & Record<symbol, unknown>;
          t.attach(socket);
          t.closed(socket, socket[K_STATE] as never, 1006, '');
        }
        await f.h.step();
        seen.add(await assertAgreement(f, 'websocket', websocket!.health(), i));
      }
      assert.deepEqual([...seen].sort(), ['degraded', 'healthy', 'unhealthy'], 'the history walks through every status');
      assert.ok(server.abnormalCloses >= 13, 'the drops reached the facts too');
    } finally {
      tracker?.stop();
      await close(f);
    }
  });

  it('rate-limits: telemetry.limits.health() and componentReport agree with /health/rate-limits and HighThrottleRate at every evaluation', async () => {
    let limits: ReturnType<typeof createRateLimits> | undefined;
    const f = await fixture('rate-limits', (h) => {
      // One point per key per hour: a fresh key is allowed, a spent one throttled, whatever the wall clock does.
      limits = createRateLimits({ config: rateLimitsSchema().parse({ policies: { 'api.judged': { points: 1, durationMs: 3_600_000 } } }),
        metrics: h.registry, now: () => h.clock.now });
      return { websocket: undefined, telegram: undefined, limits };
    });
    try {
      const l = limits!;
      await l.consume('api.judged', 'spent');
      // Per 15 s step: [allowed, throttled]. Quiet, 30% throttled for two minutes, then calm for ten.
      const script = [...Array<[number, number]>(4).fill([100, 0]), ...Array<[number, number]>(8).fill([70, 30]), ...Array<[number, number]>(40).fill([100, 0])];
      const seen = new Set<Status>();
      let key = 0;
      for (const [i, [allowed, throttled]] of script.entries()) {
        for (let a = 0; a < allowed; a++) await l.consume('api.judged', `k${key++}`);
        for (let t = 0; t < throttled; t++) await l.consume('api.judged', 'spent');
        await f.h.step();
        seen.add(await assertAgreement(f, 'rate-limits', l.health(), i));
      }
      assert.deepEqual([...seen].sort(), ['degraded', 'healthy']);
    } finally {
      await limits?.close();
      await close(f);
    }
  });

  it('telegram: telemetry.telegram.report() and componentReport agree with /health/telegram and the alerts at every evaluation', async () => {
    let telegram: TelegramTelemetry | undefined;
    let collectors: ReturnType<typeof telegramCollectors> | undefined;
    const f = await fixture('telegram', (h) => {
      collectors = telegramCollectors(h.registry);
      const own = new TelegramHealth(collectors);
      telegram = { report: () => own.report() } as unknown as TelegramTelemetry;
      return { websocket: undefined, telegram, limits: createRateLimits({ config: CONFIG.rateLimits, metrics: h.registry }) };
    });
    try {
      const c = collectors!;
      // Flood waits per 15 s step: one for 25 steps (past warning 5, then critical 20 per hour), then an hour and more of calm.
      const script = [...Array<number>(4).fill(0), ...Array<number>(25).fill(1), ...Array<number>(250).fill(0)];
      const seen = new Set<Status>();
      for (const [i, n] of script.entries()) {
        for (let k = 0; k < n; k++) c.flood.record('messages.SendMessage', 'flood_wait', 'raised', 30);
        await f.h.step();
        seen.add(await assertAgreement(f, 'telegram', await telegram!.report(), i));
      }
      assert.deepEqual([...seen].sort(), ['degraded', 'healthy', 'unhealthy']);
    } finally {
      await close(f);
    }
  });
});
