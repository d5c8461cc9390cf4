import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';
import { resolveConfig } from '../../../src/config/index';
import { wsConfigFromPulseguard } from '../../../instrumentations/ws/index';
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

  it('takes the guard limits from rateLimits and thresholds.pools.websocket (the lower applies)', () => {
    const c = wsConfigFromPulseguard(resolveConfig({ service: { name: 'x' },
      rateLimits: { websocketConnections: { perUser: 5 }, policies: { 'websocket.messages': { points: 50, durationMs: 1000, maxSizeBytes: 1024 }, 'websocket.newConnections': false } },
      thresholds: { pools: { websocket: { maxConnectionsPerUser: 2 } } } }));
    assert.deepEqual(c.limits, { perUser: 2, total: 1000, newConnections: 100, newConnectionsWindowMs: 60_000, messages: 50, messagesWindowMs: 1000, maxMessageBytes: 1024 });
    const d = wsConfigFromPulseguard(resolveConfig({ service: { name: 'y' } }));
    assert.deepEqual(d.limits, { perUser: 3, total: 1000, newConnections: 100, newConnectionsWindowMs: 60_000, messages: 100, messagesWindowMs: 60_000, maxMessageBytes: 4096 });
  });
});
