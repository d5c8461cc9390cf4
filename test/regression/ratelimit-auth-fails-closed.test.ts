import { strict as assert } from 'node:assert';
import { createRateLimits, type RateLimitRegistry } from '../../src/limits/index';
import { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { findFreePort } from '../../src/sdk/free-port';
import { rateLimitsConfig } from '../src/limits/helpers';

// Issue 18 item 12 (part): when Redis failed, api.auth was answered by an insurance limiter that
// starts from zero (5 fresh attempts after the 5 were spent), or with insurance off by the
// section-wide onStoreError "allow": auth unlimited. Auth now fails closed by default, and every
// policy can choose.
describe('rate limits when the shared store fails (regression: auth failed open)', () => {
  let limits: RateLimitRegistry | undefined;
  afterEach(async () => { await limits?.close(); limits = undefined; });

  async function unreachable(extra: Record<string, unknown> = {}): Promise<RateLimitRegistry> {
    const port = await findFreePort();
    limits = createRateLimits({ config: rateLimitsConfig({ store: 'redis', redisUrl: `redis://127.0.0.1:${port}`, keyPrefix: 'pg-test-unreachable', ...extra }), metrics: new HotMetricRegistry() });
    return limits;
  }

  it('denies api.auth with insurance on, while a fail-open policy is answered by the insurance limiter', async () => {
    const l = await unreachable();
    const auth = await l.consume('api.auth', 'client-1');
    assert.deepEqual([auth.allowed, auth.outcome], [false, 'store_error']);
    const api = await l.consume('api.standard', 'client-1');
    assert.equal(api.allowed, true);
  });

  it('denies api.auth with insurance off and onStoreError "allow", and honours a policy\'s own choice', async () => {
    const l = await unreachable({ insurance: false, onStoreError: 'allow', policies: { 'api.export': { points: 5, durationMs: 60_000, onStoreError: 'deny' } } });
    assert.equal((await l.consume('api.auth', 'client-1')).allowed, false);
    assert.equal((await l.consume('api.export', 'client-1')).allowed, false);
    assert.equal((await l.consume('api.standard', 'client-1')).allowed, true);
  });
});
