export { createExpressRateLimit } from './express-rate-limit';
export { createFastifyRateLimitHook } from './fastify-rate-limit';
export type { FastifyRequestLike, FastifyReplyLike } from './fastify-rate-limit';
export { withRateLimit, createHttpRateLimiter } from './node-http';
export { TrustedProxies, clientAddress, normalizeAddress } from './client-key';
export { rateLimitHeaders } from './headers';
export type { HeaderPair } from './headers';
export type { HttpRateLimitOptions, HttpVerdict } from './types';
