import type { Decision, RateLimitPolicy } from '../limits/types';

/** A header name and value, in the order they are set. */
export type HeaderPair = readonly [name: string, value: string];

/**
 * The response headers of a decision: the IETF `RateLimit-Policy` and `RateLimit` fields
 * (draft-ietf-httpapi-ratelimit-headers-08 and later: `"policy";q=quota;w=window` and
 * `"policy";r=remaining;t=seconds`), `Retry-After` when throttled (seconds, rounded up), and
 * optionally the legacy `X-RateLimit-Limit/-Remaining/-Reset` (reset as Unix seconds).
 */
export function rateLimitHeaders(decision: Decision, policy: RateLimitPolicy | undefined, legacy: boolean, nowMs = Date.now()): HeaderPair[] {
  const name = JSON.stringify(decision.policy);
  const resetSeconds = Math.ceil(decision.resetMs / 1000);
  const out: HeaderPair[] = [];
  if (policy !== undefined) out.push(['RateLimit-Policy', `${name};q=${policy.points};w=${Math.ceil(policy.durationMs / 1000)}`]);
  out.push(['RateLimit', `${name};r=${decision.remaining};t=${resetSeconds}`]);
  if (!decision.allowed && decision.retryAfterSeconds > 0) out.push(['Retry-After', String(decision.retryAfterSeconds)]);
  if (legacy) {
    out.push(['X-RateLimit-Limit', String(decision.limit)]);
    out.push(['X-RateLimit-Remaining', String(decision.remaining)]);
    out.push(['X-RateLimit-Reset', String(Math.ceil((nowMs + decision.resetMs) / 1000))]);
  }
  return out;
}
