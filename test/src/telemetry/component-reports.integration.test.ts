import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';

describe('component health endpoints wired by start()', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('serves /health/websocket, /health/telegram and /health/rate-limits from the areas', async () => {
    const t = await start({ service: { name: 'reports' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } },
      health: { port: 0, host: '127.0.0.1' } });
    const base = String(t.health.url).replace(/\/$/, '');
    const ws = await fetch(`${base}/health/websocket`);
    const wsBody = (await ws.json()) as { status: string; metrics: { connections: number } };
    assert.equal(ws.status, 200);
    assert.equal(wsBody.metrics.connections, 0);
    assert.equal(wsBody.status, 'pass', 'health+json status of a healthy idle server');
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
