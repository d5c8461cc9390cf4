import { createRequire } from 'node:module';
import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';

describe('component health endpoints wired by start()', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('serves /health/websocket, /health/telegram and /health/rate-limits from the areas', async () => {
    const t = await start({ service: { name: 'reports' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } },
      health: { port: 0, host: '127.0.0.1', cacheTtlMs: 0 } });
    const base = String(t.health.url).replace(/\/$/, '');
    // The hot registry is process-wide (other tests' sockets count too): assert the change.
    const wsReport = async () => (await (await fetch(`${base}/health/websocket`)).json()) as { status: string; metrics: { connections: number } };
    const before = await wsReport();
    assert.ok(['pass', 'warn', 'fail'].includes(before.status), before.status);
    // Loaded after start(), through require() as a CommonJS app would.
    const { WebSocketServer, WebSocket } = createRequire(__filename)('ws') as typeof import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
    await new Promise((r) => client.once('open', r));
    await new Promise((r) => setTimeout(r, 50));
    const during = await wsReport();
    client.close();
    await new Promise((r) => wss.close(r));
    assert.ok(during.metrics.connections >= before.metrics.connections + 1, `the server connection shows in /health/websocket (${before.metrics.connections} -> ${during.metrics.connections})`);
    const rl = (await (await fetch(`${base}/health/rate-limits`)).json()) as { metrics: { api: Record<string, unknown> } };
    assert.ok('standard' in rl.metrics.api, JSON.stringify(rl.metrics.api));
    const tg = await fetch(`${base}/health/telegram`);
    assert.notEqual(tg.status, 404, 'telegram is enabled by default, so its endpoint is configured');
    const tgBody = (await tg.json()) as { metrics?: Record<string, unknown> };
    assert.ok(tgBody.metrics && 'floodWait' in tgBody.metrics, JSON.stringify(tgBody));
  });

  it('answers 404 "not configured" for a disabled area', async () => {
    const t = await start({ service: { name: 'reports-off' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } },
      health: { port: 0, host: '127.0.0.1' }, instrumentations: { ws: { enabled: false } } });
    const res = await fetch(`${String(t.health.url).replace(/\/$/, '')}/health/websocket`);
    assert.equal(res.status, 404);
  });
});
