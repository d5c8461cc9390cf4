import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpRateLimiter, send429 } from './node-http';
import type { HttpRateLimitOptions } from './types';

/**
 * Express (4 and 5) middleware: 429 with Retry-After and the IETF RateLimit fields when over the
 * policy, else the fields are set and the request continues. Behind a proxy, list it in
 * `trustedProxies` (pulseguard does not read express's `trust proxy` setting).
 *
 * ```ts
 * app.use('/api', createExpressRateLimit({ policy: 'api.standard', key: (req) => req.user?.id }));
 * ```
 */
export function createExpressRateLimit<Req extends IncomingMessage = IncomingMessage>(
  options: HttpRateLimitOptions<Req> = {},
): (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void {
  const decide = createHttpRateLimiter<Req>(options);
  return (req, res, next) => {
    decide({ req, remoteAddress: req.socket.remoteAddress, headers: req.headers }).then((verdict) => {
      if (verdict.status === 429) return send429(res, verdict);
      for (const [k, v] of verdict.headers) res.setHeader(k, v);
      next();
    }, next);
  };
}
