import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportInternalError } from '../internal/internal-errors';
import { HEALTH_COMPONENT, type HealthRegistry } from './health-registry';
import { HEALTH_JSON_CONTENT_TYPE, httpStatusOf, toHealthJson } from './health-json';
import { HEALTH_ROUTES, type HealthRoute } from './routes';
import type { ComponentName, HealthErrorCode, HealthRequestHandler } from './types';
import { markOwnRequest, requestPath } from '../internal/own-requests';

export { HEALTH_ROUTES };
export type { HealthRoute };

/** @internal */
export interface HttpHandlerOptions {
  registry: HealthRegistry;
  isShuttingDown: () => boolean;
  /** /health/detailed: off, or behind this bearer token. */
  detailed: { enabled: boolean; token: string | undefined };
}

/** A handler that can also serve a route directly (fastify routes by its own router). @internal */
export interface RoutedHealthHandler extends HealthRequestHandler {
  serve(route: HealthRoute, req: IncomingMessage, res: ServerResponse): void;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Resolves a request path (query and one trailing slash ignored) to a route. @internal */
export function routeOf(url: string | undefined): HealthRoute | undefined {
  let path = (url ?? '/').split('?', 1)[0] ?? '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return Object.prototype.hasOwnProperty.call(HEALTH_ROUTES, path) ? HEALTH_ROUTES[path as keyof typeof HEALTH_ROUTES] : undefined;
}

/**
 * Builds the node:http handler for every health endpoint. It never throws and never lets a
 * check's fault escape: a failure inside becomes a 500 with errorCode INTERNAL.
 * @internal
 */
export function createHttpHandler(options: HttpHandlerOptions): RoutedHealthHandler {
  const tokenDigest = options.detailed.token === undefined ? undefined : sha256(options.detailed.token);

  const serve = (route: HealthRoute, req: IncomingMessage, res: ServerResponse): void => {
    // A probe is not app traffic: kept out of http.server.request.duration.
    markOwnRequest(requestPath(req));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, errorBody('METHOD_NOT_ALLOWED', 'use GET or HEAD'), JSON_CONTENT_TYPE);
      return;
    }
    dispatch(route, req, res).catch((err: unknown) => {
      reportInternalError(HEALTH_COMPONENT, err);
      if (!res.headersSent) send(res, 500, errorBody('INTERNAL', 'health endpoint failed'), JSON_CONTENT_TYPE);
      else res.destroy();
    });
  };

  const dispatch = async (route: HealthRoute, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { registry } = options;
    switch (route) {
      case 'livez':
        // Liveness means "this process can still answer": it never runs a dependency check, so
        // a Postgres or Telegram outage cannot make Kubernetes restart healthy pods.
        send(res, 200, { status: 'pass', timestamp: new Date().toISOString() });
        return;
      case 'readyz':
      case 'health': {
        if (options.isShuttingDown()) {
          send(res, 503, { status: 'fail', errorCode: 'SHUTTING_DOWN', timestamp: new Date().toISOString() });
          return;
        }
        const report = await registry.check();
        const body = route === 'health' ? toHealthJson(report, false) : { status: toHealthJson(report, false).status, timestamp: report.timestamp };
        send(res, httpStatusOf(report.status), body);
        return;
      }
      case 'detailed': {
        if (!options.detailed.enabled || tokenDigest === undefined) {
          send(res, 404, errorBody('DETAILED_DISABLED', 'detailed health is disabled (health.detailed.enabled)'), JSON_CONTENT_TYPE);
          return;
        }
        if (!authorized(req.headers.authorization, tokenDigest)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="pulseguard-health"');
          send(res, 401, errorBody('UNAUTHORIZED', 'a valid bearer token is required'), JSON_CONTENT_TYPE);
          return;
        }
        const [report, connections, components] = await Promise.all([registry.check(), registry.connections.checkHealth(), componentBodies(registry)]);
        const body = {
          ...toHealthJson(report, true),
          shuttingDown: options.isShuttingDown(),
          uptime: process.uptime(),
          memory: process.memoryUsage(),
          components,
          connections,
        };
        send(res, options.isShuttingDown() ? 503 : httpStatusOf(report.status), body);
        return;
      }
      default:
        await serveComponent(route, res);
    }
  };

  const serveComponent = async (component: ComponentName, res: ServerResponse): Promise<void> => {
    const body = await componentBody(options.registry, component);
    if (body === undefined) {
      send(res, 404, errorBody('COMPONENT_NOT_CONFIGURED', `no health report provider is registered for "${component}"`), JSON_CONTENT_TYPE);
      return;
    }
    // The specification answers 503 unless a WebSocket/Telegram report is healthy; rate limits
    // being throttled is normal operation, so only a failing rate-limit report is a 503.
    const ok = component === 'rate-limits' ? body.status !== 'fail' : body.status === 'pass';
    send(res, ok ? 200 : 503, body);
  };

  const handler = ((req, res, next) => {
    const route = routeOf(req.url);
    if (route === undefined) {
      if (next) next();
      else send(res, 404, errorBody('NOT_FOUND', 'no such health endpoint'), JSON_CONTENT_TYPE);
      return;
    }
    serve(route, req, res);
  }) as RoutedHealthHandler;
  handler.serve = serve;
  return handler;
}

async function componentBody(registry: HealthRegistry, component: ComponentName): Promise<Record<string, unknown> | undefined> {
  const o = await registry.componentReport(component);
  if (o === undefined) return undefined;
  const timestamp = new Date().toISOString();
  // A provider that threw or hung: its message may hold internals, so only the code is shown.
  if (o.errorCode !== undefined) return { status: 'fail', errorCode: o.errorCode, timestamp };
  return { ...o.report, status: o.status, timestamp };
}

async function componentBodies(registry: HealthRegistry): Promise<Record<string, unknown>> {
  // All providers at once: each is bounded by the check timeout, so hung providers cost one
  // timeout together, not one each.
  const names = registry.componentNames();
  const bodies = await Promise.all(names.map((name) => componentBody(registry, name)));
  return Object.fromEntries(names.map((name, i) => [name, bodies[i]]));
}

function errorBody(errorCode: HealthErrorCode, message: string): Record<string, unknown> {
  return { errorCode, message };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison of digests, so the token cannot be guessed byte by byte. */
function authorized(header: string | undefined, tokenDigest: Buffer): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  return timingSafeEqual(sha256(match[1]), tokenDigest);
}

function send(res: ServerResponse, status: number, body: unknown, contentType = HEALTH_JSON_CONTENT_TYPE): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
