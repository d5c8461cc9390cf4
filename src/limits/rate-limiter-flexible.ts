/* eslint-disable @typescript-eslint/no-require-imports -- deep files of a package without per-file types */
import type * as Rlf from 'rate-limiter-flexible';

// The classes pulseguard uses from rate-limiter-flexible, each loaded from its own file. Why: the
// package's index requires every store it supports (Mongo, MySQL, Prisma, Drizzle, Etcd, ...):
// 36 modules, ~10 MB of RSS and ~0.3 s at startup on a busy 2-core machine, where the memory path
// needs 7 modules and 1.6 MB. These are the same files the index loads, so `instanceof` holds
// whichever way a class was imported. Types still come from the package (type-only imports are
// free); a value import of the package index elsewhere fails `npm run lint`.

/** @internal */
export const RateLimiterMemory: typeof Rlf.RateLimiterMemory = require('rate-limiter-flexible/lib/RateLimiterMemory');
/** @internal */
export type RateLimiterMemory = Rlf.RateLimiterMemory;
/** RateLimiterRedis, loaded on first call: only the Redis store needs it. @internal */
export function loadRateLimiterRedis(): typeof Rlf.RateLimiterRedis {
  return require('rate-limiter-flexible/lib/RateLimiterRedis');
}
/** @internal */
export const RateLimiterQueue: typeof Rlf.RateLimiterQueue = require('rate-limiter-flexible/lib/RateLimiterQueue');
/** @internal */
export type RateLimiterQueue = Rlf.RateLimiterQueue;
/** @internal */
export const RateLimiterRes: typeof Rlf.RateLimiterRes = require('rate-limiter-flexible/lib/RateLimiterRes');
/** @internal */
export type RateLimiterRes = Rlf.RateLimiterRes;
/** @internal */
export const RateLimiterQueueError: typeof Rlf.RateLimiterQueueError = require('rate-limiter-flexible/lib/component/RateLimiterQueueError');
/** @internal */
export type RateLimiterQueueError = Rlf.RateLimiterQueueError;
/** @internal */
export type RateLimiterAbstract = Rlf.RateLimiterAbstract;
/** @internal */
export type IRateLimiterOptions = Rlf.IRateLimiterOptions;
