import { strict as assert } from 'node:assert';
import Fastify, { type FastifyInstance } from 'fastify';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createFastifyRateLimitHook } from '../../../src/adapters/index';
import { createRateLimits } from '../../../src/limits/index';
import { rateLimitsConfig } from '../limits/helpers';
import { statuses } from './servers';

describe('createFastifyRateLimitHook', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(trustedProxies: string[]): Promise<string> {
    const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.test': { points: 2, durationMs: 60_000 } } }), metrics: new HotMetricRegistry() });
    app = Fastify();
    app.addHook('onRequest', createFastifyRateLimitHook({ limits, policy: 'api.test', trustedProxies }));
    let handled = 0;
    app.get('/', async () => ({ ok: true, handled: ++handled }));
    return app.listen({ port: 0, host: '127.0.0.1' });
  }

  it('answers 429 with Retry-After and RateLimit fields, and the route handler does not run', async () => {
    const url = await start([]);
    const ok = await fetch(url);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('ratelimit-policy'), '"api.test";q=2;w=60');
    assert.match(ok.headers.get('ratelimit') ?? '', /^"api\.test";r=1;t=(59|60)$/);
    await (await fetch(url)).text();
    const res = await fetch(url);
    assert.equal(res.status, 429);
    assert.match(res.headers.get('retry-after') ?? '', /^(59|60)$/);
    const body = (await res.json()) as { error: string; policy: string };
    assert.equal(body.error, 'Too Many Requests');
  });

  it('does not give a new budget to a spoofed X-Forwarded-For from an untrusted client', async () => {
    const url = await start([]);
    assert.deepEqual(await statuses(url, [{ 'x-forwarded-for': '1.1.1.1' }, { 'x-forwarded-for': '2.2.2.2' }, { 'x-forwarded-for': '3.3.3.3' }]), [200, 200, 429]);
  });

  it('keys by the forwarded client behind a trusted proxy', async () => {
    const url = await start(['127.0.0.1']);
    assert.deepEqual(
      await statuses(url, [{ 'x-forwarded-for': '203.0.113.5' }, { 'x-forwarded-for': '203.0.113.5' }, { 'x-forwarded-for': '7.7.7.7, 203.0.113.5' }, { 'x-forwarded-for': '203.0.113.6' }]),
      [200, 200, 429, 200],
    );
  });
});
