import type { IncomingMessage, Server } from 'node:http';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * pulseguard's own endpoints (/metrics, /health and the rest) are kept out of the app's
 * `http.server.request.duration`, so Prometheus scrapes and Kubernetes probes do not count as
 * API traffic:
 * - on pulseguard's standalone servers every request is its own: the HTTP instrumentation's
 *   ignoreIncomingRequestHook skips it (no span, no metric), see {@link isOnOwnServer};
 * - mounted on the app's server (`telemetry.metricsHandler`, `pulseguard/express`,
 *   `pulseguard/fastify`, `telemetry.health.handler`), the handler marks the request it serves
 *   with {@link markOwnRequest} and the duration histogram skips it at record time.
 * The mark is the request's RPC metadata (the object instrumentation-http puts in the request's
 * context and reads `http.route` from), so no request object has to reach the histogram.
 */

const ownSockets = new WeakSet<object>();
const ownRequests = new WeakSet<object>();

/** Every connection this server accepts carries only pulseguard's own requests. */
export function markOwnServer(server: Server): void {
  server.on('connection', (socket) => ownSockets.add(socket));
}

/** Whether a request arrived on one of pulseguard's own servers. */
export function isOnOwnServer(req: IncomingMessage): boolean {
  return ownSockets.has(req.socket);
}

/** The path of a request as the client sent it (express strips a mount prefix from `url`). */
export function requestPath(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  return url.split('?')[0];
}

/** Marks the request served in the active context as pulseguard's own, with its route template. */
export function markOwnRequest(route: string): void {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type !== RPCType.HTTP) return;
  metadata.route ??= route;
  ownRequests.add(metadata);
}

/** Whether the request of the active context was marked by {@link markOwnRequest}. */
export function isOwnRequestActive(): boolean {
  const metadata = getRPCMetadata(context.active());
  return metadata !== undefined && ownRequests.has(metadata);
}
