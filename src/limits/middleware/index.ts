export { createExpressRateLimit } from './express';
export { createFastifyRateLimitHook } from './fastify';
export type { FastifyRequestLike, FastifyReplyLike } from './fastify';
export { withRateLimit, createHttpRateLimiter } from './node-http';
export { TrustedProxies, clientAddress, normalizeAddress } from './client-key';
export { rateLimitHeaders } from './headers';
export type { HeaderPair } from './headers';
export type { HttpRateLimitOptions, HttpVerdict } from './types';
