import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { withRateLimit } from '../../../src/adapters/index';
import { createRateLimits } from '../../../src/limits/index';
import { rateLimitsConfig } from '../limits/helpers';
import { listen, statuses } from './servers';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

describe('withRateLimit', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('wraps a node:http listener: 429 over the limit, the handler runs otherwise', async () => {
    const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.test': { points: 1, durationMs: 10_000 } } }), metrics: new HotMetricRegistry() });
    let calls = 0;
    server = createServer(withRateLimit((_req, res) => { calls++; res.end('ok'); }, { limits, policy: 'api.test', body: (d) => ({ slowDown: d.retryAfterSeconds }) }));
    const url = await listen(server);
    assert.deepEqual(await statuses(url, [{}, { 'x-forwarded-for': '5.5.5.5' }]), [200, 429]);
    assert.equal(calls, 1);
    const res = await fetch(url);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as { slowDown: number };
    assert.ok(body.slowDown >= 9 && body.slowDown <= 10);
  });

  it('ignores throwing skip and body hooks (contained and counted; default body sent)', async () => {
    setInternalErrorLogger({ warn: () => {} });
    try {
      const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.test': { points: 1, durationMs: 10_000 } } }), metrics: new HotMetricRegistry() });
      const before = internalErrorCount('ratelimit.middleware');
      server = createServer(withRateLimit((_req, res) => res.end('ok'), {
        limits,
        policy: 'api.test',
        skip: () => { throw new Error('skip hook broke'); },
        body: () => { throw new Error('body hook broke'); },
      }));
      const url = await listen(server);
      assert.deepEqual(await statuses(url, [{}]), [200]);
      const res = await fetch(url);
      assert.equal(res.status, 429);
      assert.deepEqual(await res.json(), { error: 'Too Many Requests', policy: 'api.test', retryAfter: 10 });
      assert.equal(internalErrorCount('ratelimit.middleware'), before + 3); // skip twice, body once
    } finally {
      setInternalErrorLogger(undefined);
    }
  });

  it('answers 500 (does not hang) when the policy does not exist', async () => {
    const limits = createRateLimits({ config: rateLimitsConfig(), metrics: new HotMetricRegistry() });
    server = createServer(withRateLimit((_req, res) => res.end('ok'), { limits, policy: 'missing' }));
    const url = await listen(server);
    const warned = new Promise((resolve) => process.once('warning', resolve));
    assert.deepEqual(await statuses(url, [{}]), [500]);
    assert.match(String(await warned), /unknown rate-limit policy "missing"/);
  });
});
