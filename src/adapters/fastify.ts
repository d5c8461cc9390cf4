import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTelemetry } from '../sdk/active-telemetry';
import { HEALTH_ROUTES } from '../health/routes';
import type { RoutedHealthHandler } from '../health/http-handler';
import type { Health } from '../health/types';

/** The parts of a fastify instance the plugin uses (structural, so this module never loads fastify). */
export interface FastifyLike {
  route(options: {
    method: string | string[];
    url: string;
    handler: (request: { raw: IncomingMessage }, reply: { hijack(): unknown; raw: ServerResponse }) => unknown;
  }): unknown;
}

/** Options of {@link fastifyHealth}; fastify's own `prefix` works as usual. */
export interface FastifyHealthOptions {
  /** @default the running telemetry's health */
  health?: Health;
  prefix?: string;
}

/**
 * A fastify plugin serving every health endpoint:
 * `app.register(fastifyHealth, { prefix: '/ops' })`. Routes are declared to fastify (so its
 * router, prefix and HEAD handling apply); each one hands the raw request to the health handler.
 */
export function fastifyHealth(instance: FastifyLike, options: FastifyHealthOptions, done: (err?: Error) => void): void {
  for (const [path, route] of Object.entries(HEALTH_ROUTES)) {
    instance.route({
      method: 'GET',
      url: path,
      handler: (request, reply) => {
        reply.hijack();
        const h = options.health ?? getTelemetry()?.health;
        if (!h) {
          reply.raw.statusCode = 503;
          reply.raw.setHeader('Content-Type', 'application/json; charset=utf-8');
          reply.raw.end(JSON.stringify({ errorCode: 'NOT_STARTED', message: 'pulseguard is not started' }));
          return;
        }
        (h.handler as RoutedHealthHandler).serve(route, request.raw, reply.raw);
      },
    });
  }
  done();
}

/** Rate limiting for fastify, so `pulseguard/fastify` is the one import a fastify app needs. */
export { createFastifyRateLimitHook } from './fastify-rate-limit';
export type { FastifyRequestLike, FastifyReplyLike } from './fastify-rate-limit';
