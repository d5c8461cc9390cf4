import { strict as assert } from 'node:assert';
import { getJson, makeHealth, serveHandler, TEST_TOKEN } from '../../helpers/health';

describe('health HTTP handler', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function mount(input: Parameters<typeof makeHealth>[0] = {}) {
    const { health } = makeHealth({ health: { cacheTtlMs: 0, ...(input.health as object) }, ...input });
    const s = await serveHandler(health.handler);
    servers.push(s);
    return { health, url: s.url };
  }

  describe('/health', () => {
    it('answers 200 application/health+json with status, timestamp, checks and version', async () => {
      const { health, url } = await mount();
      health.register('database:responseTime', () => ({ status: 'pass', observedValue: 3, observedUnit: 'ms' }), { componentType: 'datastore' });
      const r = await getJson(`${url}/health`);
      assert.equal(r.status, 200);
      assert.equal(r.type, 'application/health+json; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.body.status, 'pass');
      assert.equal(r.body.version, '4.5.6');
      assert.ok(!Number.isNaN(Date.parse(String(r.body.timestamp))));
      const checks = r.body.checks as Record<string, Array<Record<string, unknown>>>;
      assert.deepEqual(Object.keys(checks), ['database:responseTime']);
      assert.equal(checks['database:responseTime']?.[0]?.observedValue, 3);
      assert.equal(checks['database:responseTime']?.[0]?.componentType, 'datastore');
    });

    it('answers 200 warn when degraded and 503 fail when a critical check fails', async () => {
      const { health, url } = await mount();
      let status: 'pass' | 'warn' | 'fail' = 'warn';
      health.register('dep', () => ({ status, output: 'secret internals at 10.1.2.3' }));
      let r = await getJson(`${url}/health`);
      assert.deepEqual([r.status, r.body.status], [200, 'warn']);
      status = 'fail';
      r = await getJson(`${url}/health`);
      assert.deepEqual([r.status, r.body.status], [503, 'fail']);
      assert.doesNotMatch(r.text, /10\.1\.2\.3/, '/health does not show check output');
    });

    it('answers a check that throws as fail with errorCode CHECK_THREW, and keeps serving', async () => {
      const { health, url } = await mount();
      health.register('thrower', () => {
        throw new Error('exploded');
      });
      const r = await getJson(`${url}/health`);
      assert.equal(r.status, 503);
      const entry = (r.body.checks as Record<string, Array<Record<string, unknown>>>)['thrower:status']?.[0];
      assert.equal(entry?.errorCode, 'CHECK_THREW');
      assert.equal((await getJson(`${url}/livez`)).status, 200);
    });

    it('supports HEAD, rejects other methods with 405, and 404s unknown paths', async () => {
      const { url } = await mount();
      const head = await fetch(`${url}/health`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      const post = await fetch(`${url}/health`, { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
      assert.equal(((await post.json()) as Record<string, unknown>).errorCode, 'METHOD_NOT_ALLOWED');
      const missing = await getJson(`${url}/nope`);
      assert.deepEqual([missing.status, missing.body.errorCode], [404, 'NOT_FOUND']);
      assert.equal((await getJson(`${url}/health/?x=1`)).status, 200, 'query and trailing slash are ignored');
    });
  });

  describe('/livez and /readyz', () => {
    it('keeps /livez at 200 while a dependency fails; /readyz follows the checks', async () => {
      const { health, url } = await mount();
      let calls = 0;
      health.register('postgres', () => {
        calls++;
        return { status: 'fail' };
      });
      const live = await getJson(`${url}/livez`);
      assert.deepEqual([live.status, live.body.status], [200, 'pass']);
      assert.equal(calls, 0, '/livez runs no dependency check');
      const ready = await getJson(`${url}/readyz`);
      assert.deepEqual([ready.status, ready.body.status], [503, 'fail']);
    });

    it('flips /readyz and /health to 503 at once on beginShutdown, without running checks', async () => {
      const { health, url } = await mount();
      let calls = 0;
      health.register('ok', () => {
        calls++;
        return { status: 'pass' };
      });
      assert.equal((await getJson(`${url}/readyz`)).status, 200);
      health.beginShutdown();
      assert.equal(health.shuttingDown, true);
      const ready = await getJson(`${url}/readyz`);
      assert.deepEqual([ready.status, ready.body.errorCode], [503, 'SHUTTING_DOWN']);
      assert.equal((await getJson(`${url}/health`)).status, 503);
      assert.equal((await getJson(`${url}/livez`)).status, 200);
      assert.equal(calls, 1);
    });
  });

  describe('/health/detailed', () => {
    it('is 404 DETAILED_DISABLED by default', async () => {
      const { url } = await mount();
      const r = await getJson(`${url}/health/detailed`);
      assert.deepEqual([r.status, r.body.errorCode], [404, 'DETAILED_DISABLED']);
    });

    it('answers 401 without internals to a missing or wrong token', async () => {
      const { health, url } = await mount({ health: { detailed: { enabled: true, token: TEST_TOKEN } } });
      health.register('db', () => ({ status: 'fail', output: 'password authentication failed for 10.9.8.7' }));
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${TEST_TOKEN}` }]) {
        const r = await getJson(`${url}/health/detailed`, headers);
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="pulseguard-health"');
        assert.deepEqual(Object.keys(r.body).sort(), ['errorCode', 'message']);
        assert.equal(r.body.errorCode, 'UNAUTHORIZED');
        assert.doesNotMatch(r.text, /10\.9\.8\.7|memory|uptime|checks|db/);
      }
    });

    it('adds uptime, memory, per-check output and latency, components and connections with the token', async () => {
      const { health, url } = await mount({ health: { detailed: { enabled: true, token: TEST_TOKEN } } });
      health.register('db', () => ({ status: 'warn', output: 'slow', details: { pool: 3 } }));
      health.setComponentReport('websocket', () => ({ status: 'healthy', metrics: { connections: 2 } }));
      const r = await getJson(`${url}/health/detailed`, { authorization: `Bearer ${TEST_TOKEN}` });
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'warn');
      assert.equal(typeof r.body.uptime, 'number');
      assert.equal(typeof (r.body.memory as Record<string, unknown>).heapUsed, 'number');
      const entry = (r.body.checks as Record<string, Array<Record<string, unknown>>>)['db:status']?.[0];
      assert.equal(entry?.output, 'slow');
      assert.deepEqual(entry?.details, { pool: 3 });
      assert.equal(typeof entry?.latencyMs, 'number');
      assert.equal(((r.body.components as Record<string, Record<string, unknown>>).websocket)?.status, 'pass');
      assert.ok(r.body.connections && typeof r.body.connections === 'object');
    });
  });

  describe('component endpoints', () => {
    it('answers 404 COMPONENT_NOT_CONFIGURED when no provider is registered', async () => {
      const { url } = await mount();
      for (const c of ['websocket', 'telegram', 'rate-limits']) {
        const r = await getJson(`${url}/health/${c}`);
        assert.deepEqual([r.status, r.body.errorCode], [404, 'COMPONENT_NOT_CONFIGURED']);
        assert.match(String(r.body.message), new RegExp(c));
      }
    });

    it('answers 503 when a WebSocket/Telegram report is not healthy; rate limits only on fail', async () => {
      const { health, url } = await mount();
      health.setComponentReport('telegram', () => ({ status: 'degraded', metrics: { messageLatency: 700, dcLatency: 90, floodWait: 6, migrations: 0 } }));
      health.setComponentReport('rate-limits', () => ({ status: 'degraded', metrics: { telegram: {}, api: {}, websocket: {} }, throttled: 12 }));
      const tg = await getJson(`${url}/health/telegram`);
      assert.deepEqual([tg.status, tg.body.status], [503, 'warn']);
      assert.deepEqual(tg.body.metrics, { messageLatency: 700, dcLatency: 90, floodWait: 6, migrations: 0 });
      const rl = await getJson(`${url}/health/rate-limits`);
      assert.deepEqual([rl.status, rl.body.status, rl.body.throttled], [200, 'warn', 12]);
      health.setComponentReport('telegram', () => ({ status: 'healthy', metrics: { messageLatency: 120, dcLatency: 40, floodWait: 0, migrations: 1 } }));
      const ok = await getJson(`${url}/health/telegram`);
      assert.deepEqual([ok.status, ok.body.status], [200, 'pass']);
    });

    it('answers 503 CHECK_THREW without the message when a provider throws', async () => {
      const { health, url } = await mount();
      health.setComponentReport('websocket', () => {
        throw new Error('internal path /srv/app/secret');
      });
      const r = await getJson(`${url}/health/websocket`);
      assert.deepEqual([r.status, r.body.status, r.body.errorCode], [503, 'fail', 'CHECK_THREW']);
      assert.doesNotMatch(r.text, /srv/);
    });
  });
});
