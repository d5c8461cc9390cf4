import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import express from 'express';
import * as sinon from 'sinon';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createExpressRateLimit } from '../../../src/adapters/index';
import { createRateLimits, type RateLimits } from '../../../src/limits/index';
import { rateLimitsConfig } from '../limits/helpers';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';
import { listen, statuses } from './servers';

describe('createExpressRateLimit', () => {
  let server: Server | undefined;
  let limits: RateLimits;
  beforeEach(() => {
    limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.test': { points: 2, durationMs: 60_000 } } }), metrics: new HotMetricRegistry() });
  });
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  async function app(opts: Parameters<typeof createExpressRateLimit>[0]): Promise<string> {
    const a = express();
    a.use(createExpressRateLimit({ limits, policy: 'api.test', ...opts }));
    a.get('/', (_req, res) => {
      res.send('ok');
    });
    server = createServer(a);
    return listen(server);
  }

  it('answers 429 with the exact Retry-After and the RateLimit fields once the budget is spent', async () => {
    const clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
    try {
      const url = await app({});
      const first = await fetch(url);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), 'ok');
      assert.equal(first.headers.get('ratelimit-policy'), '"api.test";q=2;w=60');
      assert.equal(first.headers.get('ratelimit'), '"api.test";r=1;t=60');
      assert.equal(first.headers.get('x-ratelimit-limit'), null, 'legacy headers are off by default');
      await (await fetch(url)).text();
      clock.tick(20_500);
      const third = await fetch(url);
      assert.equal(third.status, 429);
      assert.equal(third.headers.get('retry-after'), '40'); // 39.5 s left, rounded up
      assert.equal(third.headers.get('ratelimit'), '"api.test";r=0;t=40');
      assert.deepEqual(await third.json(), { error: 'Too Many Requests', policy: 'api.test', retryAfter: 40 });
    } finally {
      clock.restore();
    }
  });

  it('does not give a new budget to a client that spoofs X-Forwarded-For (no trusted proxy)', async () => {
    const url = await app({ trustedProxies: [] });
    const got = await statuses(url, [{ 'x-forwarded-for': '1.1.1.1' }, { 'x-forwarded-for': '2.2.2.2' }, { 'x-forwarded-for': '3.3.3.3' }, {}]);
    assert.deepEqual(got, [200, 200, 429, 429]);
  });

  it('keys by the forwarded client behind a trusted proxy, and ignores what the client prepended', async () => {
    const url = await app({ trustedProxies: ['loopback'] });
    // The proxy (loopback) appends the real client address as the last entry.
    const got = await statuses(url, [
      { 'x-forwarded-for': '203.0.113.5' },
      { 'x-forwarded-for': '9.9.9.9, 203.0.113.5' },
      { 'x-forwarded-for': '8.8.8.8, 203.0.113.5' },
      { 'x-forwarded-for': '203.0.113.6' },
    ]);
    assert.deepEqual(got, [200, 200, 429, 200]);
  });

  it('keys an authenticated request by user, and falls back to the IP when the key function throws', async () => {
    const warnings: string[] = [];
    setInternalErrorLogger({ warn: (obj) => warnings.push(JSON.stringify(obj)) });
    after(() => setInternalErrorLogger(undefined));
    const before = internalErrorCount('ratelimit.middleware');
    const url = await app({
      key: (req) => {
        const u = req.headers['x-user'];
        if (u === 'boom') throw new Error('key lookup failed');
        return typeof u === 'string' ? u : undefined;
      },
      legacyHeaders: true,
    });
    const got = await statuses(url, [{ 'x-user': 'a' }, { 'x-user': 'a' }, { 'x-user': 'a' }, { 'x-user': 'b' }, { 'x-user': 'boom' }]);
    assert.deepEqual(got, [200, 200, 429, 200, 200]);
    assert.equal(internalErrorCount('ratelimit.middleware'), before + 1, 'the throwing key hook was contained and counted');
    assert.match(warnings.join('\n'), /key lookup failed/);
    const res = await fetch(url, { headers: { 'x-user': 'b' } });
    assert.equal(res.headers.get('x-ratelimit-limit'), '2');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
  });

  it('skips requests the skip option selects', async () => {
    const url = await app({ skip: (req) => req.url === '/' });
    assert.deepEqual(await statuses(url, [{}, {}, {}]), [200, 200, 200]);
  });
});
