import { strict as assert } from 'node:assert';
import { rateLimitHeaders } from '../../../src/adapters/headers';
import type { Decision, RateLimitPolicy } from '../../../src/limits/index';

const policy: RateLimitPolicy = { points: 100, durationMs: 60_000, mode: 'reject', maxQueueSize: 1000 };

describe('rateLimitHeaders', () => {
  it('writes the IETF RateLimit-Policy and RateLimit fields for an allowed call', () => {
    const d: Decision = { allowed: true, outcome: 'allowed', policy: 'api.standard', limit: 100, remaining: 42, resetMs: 12_300, retryAfterSeconds: 0 };
    assert.deepEqual(rateLimitHeaders(d, policy, false), [
      ['RateLimit-Policy', '"api.standard";q=100;w=60'],
      ['RateLimit', '"api.standard";r=42;t=13'],
    ]);
  });

  it('adds Retry-After when throttled and the legacy fields when asked', () => {
    const d: Decision = { allowed: false, outcome: 'throttled', policy: 'api.auth', limit: 5, remaining: 0, resetMs: 839_500, retryAfterSeconds: 840, reason: 'limit' };
    const h = new Map(rateLimitHeaders(d, { ...policy, points: 5, durationMs: 900_000 }, true, 1_700_000_000_000));
    assert.equal(h.get('Retry-After'), '840');
    assert.equal(h.get('RateLimit-Policy'), '"api.auth";q=5;w=900');
    assert.equal(h.get('X-RateLimit-Limit'), '5');
    assert.equal(h.get('X-RateLimit-Remaining'), '0');
    assert.equal(h.get('X-RateLimit-Reset'), String(Math.ceil((1_700_000_000_000 + 839_500) / 1000)));
  });
});
