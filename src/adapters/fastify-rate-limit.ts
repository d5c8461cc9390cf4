import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { createHttpRateLimiter } from './node-http';
import type { HttpRateLimitOptions } from './types';

/** The parts of a fastify request the hook reads (structural, so fastify stays a dev dependency). */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  headers: IncomingHttpHeaders;
}

/** The parts of a fastify reply the hook writes. */
export interface FastifyReplyLike {
  code(statusCode: number): unknown;
  header(name: string, value: string): unknown;
  send(payload?: unknown): unknown;
}

/**
 * A fastify `onRequest` hook: 429 with Retry-After and the IETF RateLimit fields when over the
 * policy, else the fields are set on the reply. Uses the socket peer and `trustedProxies`, not
 * fastify's `trustProxy`, so a spoofed X-Forwarded-For never changes the key.
 *
 * ```ts
 * app.addHook('onRequest', createFastifyRateLimitHook({ policy: 'api.auth' }));
 * ```
 */
export function createFastifyRateLimitHook<Req extends FastifyRequestLike = FastifyRequestLike>(
  options: HttpRateLimitOptions<Req> = {},
): (request: Req, reply: FastifyReplyLike) => Promise<unknown> {
  const decide = createHttpRateLimiter<Req>(options);
  return async (request, reply) => {
    const verdict = await decide({ req: request, remoteAddress: request.raw.socket.remoteAddress, headers: request.headers });
    for (const [k, v] of verdict.headers) reply.header(k, v);
    if (verdict.status !== 429) return undefined;
    reply.code(429);
    reply.send(verdict.body);
    // An async hook that sent a reply returns it, so fastify stops here (fastify Hooks docs).
    return reply;
  };
}
