import type { IncomingMessage } from 'node:http';
import type { Decision, RateLimits } from '../limits/types';
import type { HeaderPair } from './headers';

/** Options of the HTTP middleware (express, fastify, node:http). */
export interface HttpRateLimitOptions<Req = IncomingMessage> {
  /** The limits to consume from. @default the running telemetry's `telemetry.limits` */
  limits?: RateLimits;
  /** Policy name. @default "api.standard" */
  policy?: string;
  /**
   * The user key (user id, API key id) of an authenticated request; requests without one are
   * keyed by client IP. Runs contained: a throw falls back to the IP.
   */
  key?: (req: Req) => string | number | undefined;
  /** Points this request costs. @default 1 */
  points?: number;
  /** Peers allowed to set X-Forwarded-For. @default config `rateLimits.trustedProxies` */
  trustedProxies?: readonly string[];
  /** Send X-RateLimit-* besides the IETF fields. @default config `rateLimits.legacyHeaders` */
  legacyHeaders?: boolean;
  /** Requests for which this returns true are not limited. */
  skip?: (req: Req) => boolean;
  /** Body of the 429 response (JSON). @default { error: "Too Many Requests", policy, retryAfter } */
  body?: (decision: Decision) => unknown;
}

/** What the middleware decided for one request. */
export interface HttpVerdict {
  /** Undefined when the request was skipped or no limits are running. */
  readonly decision: Decision | undefined;
  /** Headers to set on the response (empty when skipped). */
  readonly headers: readonly HeaderPair[];
  /** 429 when throttled, else undefined. */
  readonly status: 429 | undefined;
  /** JSON body for a 429. */
  readonly body: unknown;
}
