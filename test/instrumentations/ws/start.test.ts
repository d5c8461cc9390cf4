import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';
import { resolveConfig } from '../../../src/config/index';
import { wsConfigFromPulseguard } from '../../../instrumentations/ws/index';
import { createRateLimits } from '../../../src/limits/index';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { connect, closed, startServer, stopServer } from './helpers';

describe('start() with instrumentations.ws', () => {
  afterEach(async () => getTelemetry()?.shutdown());

  it('wires the ws instrumentation: metrics in telemetry.collect() and telemetry.websocket', async () => {
    const t = await start({ service: { name: 'ws-start' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      shutdown: { handleSignals: false }, instrumentations: { ws: { pingIntervalMs: 0 } } });
    assert.ok(t.websocket, 'telemetry.websocket is set');
    const { wss, url } = await startServer();
    const ws = await connect(url);
    assert.ok(t.websocket.health().clientCount >= 2);
    const rm = await t.collect();
    const names = rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    for (const n of ['websocket.connections.active', 'websocket.connections.opened', 'websocket.errors', 'websocket.users.active']) assert.ok(names.includes(n), n);
    ws.close();
    await closed(ws);
    await stopServer(wss);
  });

  it('leaves telemetry.websocket undefined when the instrumentation is disabled', async () => {
    const t = await start({ service: { name: 'ws-off' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      shutdown: { handleSignals: false }, instrumentations: { ws: { enabled: false } } });
    assert.equal(t.websocket, undefined);
  });

  it('hands the guards the limiter, whose policies come from rateLimits', () => {
    const config = resolveConfig({ service: { name: 'x' },
      rateLimits: { websocketConnections: { perUser: 2 }, policies: { 'websocket.messages': { points: 50, durationMs: 1000, maxSizeBytes: 1024 }, 'websocket.newConnections': false } } });
    const limits = createRateLimits({ config: config.rateLimits, metrics: new HotMetricRegistry() });
    const c = wsConfigFromPulseguard(config, limits);
    assert.equal(c.limiter, limits);
    assert.equal(c.guards, false, 'guards are opt-in');
    assert.deepEqual(limits.connectionCaps, { perUser: 2, total: 1000 });
    assert.deepEqual(limits.localPolicy('websocket.messages')?.policy, { points: 50, durationMs: 1000, maxSizeBytes: 1024, mode: 'reject', maxQueueSize: 1000 });
    assert.equal(limits.localPolicy('websocket.newConnections'), undefined, 'a policy set to false lifts its guard');
  });
});
