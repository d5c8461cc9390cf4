import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { safeCall } from '../internal/safe-call';
import { getTelemetry } from '../sdk/active-telemetry';
import type { Decision, RateLimits } from '../limits/types';
import { TrustedProxies, clientAddress } from './client-key';
import { rateLimitHeaders } from './headers';
import type { HttpRateLimitOptions, HttpVerdict } from './types';

const COMPONENT = 'ratelimit.middleware';
const PASS: HttpVerdict = { decision: undefined, headers: [], status: undefined, body: undefined };

/** The request facts the decision needs, whatever the framework. @internal */
export interface RequestFacts<Req> {
  req: Req;
  remoteAddress: string | undefined;
  headers: IncomingHttpHeaders;
}

/**
 * The framework-neutral core of the middleware: decides one request and returns the headers and
 * status to send. The express, fastify and node:http adapters only translate.
 *
 * @internal
 */
export function createHttpRateLimiter<Req>(options: HttpRateLimitOptions<Req> = {}): (facts: RequestFacts<Req>) => Promise<HttpVerdict> {
  const policyName = options.policy ?? 'api.standard';
  const points = options.points ?? 1;
  let trusted: TrustedProxies | undefined = options.trustedProxies ? new TrustedProxies(options.trustedProxies) : undefined;
  let warnedNoLimits = false;
  return async ({ req, remoteAddress, headers }) => {
    const limits: RateLimits | undefined = options.limits ?? getTelemetry()?.limits;
    if (limits === undefined) {
      if (!warnedNoLimits) {
        warnedNoLimits = true;
        process.emitWarning('pulseguard rate-limit middleware: no limits (start() not called and no `limits` option); requests pass', 'PulseguardWarning');
      }
      return PASS;
    }
    if (options.skip && safeCall(COMPONENT, options.skip, req) === true) return PASS;
    const config = getTelemetry()?.config.rateLimits;
    trusted ??= new TrustedProxies(config?.trustedProxies ?? []);
    const legacy = options.legacyHeaders ?? config?.legacyHeaders ?? false;
    const userKey = options.key ? safeCall(COMPONENT, options.key, req) : undefined;
    // Prefixes keep a user id from colliding with an IP address.
    const key = userKey !== undefined && userKey !== '' ? `user:${userKey}` : `ip:${clientAddress(remoteAddress, headers['x-forwarded-for'], trusted)}`;
    const decision = await limits.consume(policyName, key, points);
    const out = rateLimitHeaders(decision, limits.policies().get(policyName), legacy);
    if (decision.allowed) return { decision, headers: out, status: undefined, body: undefined };
    const body = options.body ? safeCall(COMPONENT, options.body, decision) ?? defaultBody(decision) : defaultBody(decision);
    return { decision, headers: out, status: 429, body };
  };
}

function defaultBody(d: Decision): unknown {
  return { error: 'Too Many Requests', policy: d.policy, retryAfter: d.retryAfterSeconds };
}

/** Writes a 429 with its headers and JSON body on a plain ServerResponse. @internal */
export function send429(res: ServerResponse, verdict: HttpVerdict): void {
  const payload = JSON.stringify(verdict.body);
  res.statusCode = 429;
  for (const [k, v] of verdict.headers) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/**
 * Wraps a node:http request listener: over the limit it answers 429 with Retry-After and the
 * RateLimit fields; otherwise it sets the RateLimit fields and calls `handler`.
 *
 * ```ts
 * http.createServer(withRateLimit((req, res) => res.end('ok'), { policy: 'api.standard' }));
 * ```
 */
export function withRateLimit(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: HttpRateLimitOptions<IncomingMessage> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const decide = createHttpRateLimiter(options);
  return (req, res) => {
    decide({ req, remoteAddress: req.socket.remoteAddress, headers: req.headers }).then(
      (verdict) => {
        if (verdict.status === 429) return send429(res, verdict);
        for (const [k, v] of verdict.headers) res.setHeader(k, v);
        handler(req, res);
      },
      (err: unknown) => {
        // A usage error (unknown policy): answer 500 rather than hang the request.
        res.statusCode = 500;
        res.end();
        process.emitWarning(err instanceof Error ? err : String(err), 'PulseguardWarning');
      },
    );
  };
}
