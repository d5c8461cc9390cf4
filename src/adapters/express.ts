import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTelemetry } from '../sdk/active-telemetry';
import type { Health } from '../health/types';

/** An express (4 or 5) middleware, typed structurally so this module never loads express. */
export type ExpressHealthMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The health endpoints as express middleware: `app.use(healthRouter())` serves /health, /livez...
 * at the root; `app.use('/ops', healthRouter())` under /ops. Other paths fall through to `next()`.
 * `health` defaults to the running telemetry's (resolved per request, so it may be mounted before
 * start() resolves).
 */
export function healthRouter(health?: Health): ExpressHealthMiddleware {
  return (req, res, next) => {
    const h = health ?? getTelemetry()?.health;
    if (!h) {
      next();
      return;
    }
    h.handler(req, res, next);
  };
}

/** Rate limiting for express, so `pulseguard/express` is the one import an express app needs. */
export { createExpressRateLimit } from './express-rate-limit';
