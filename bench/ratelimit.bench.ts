/**
 * Rate-limit decisions per second: pulseguard's `limits.consume()` versus bare
 * rate-limiter-flexible doing the same work (consume, tell allowed from throttled), memory and
 * Redis stores, side by side in one process run.
 *
 *   npx tsc -p . && node dist/bench/ratelimit.bench.js
 *
 * Fairness: both sides use the same rate-limiter-flexible classes, the same policy (points,
 * window) and the same key sequence; each side's result is read the way its user reads it (one
 * promise layer over the library's on each side, see Decide); rounds alternate baseline/pulseguard and the median round
 * counts. The Redis baseline's ioredis client has the options of pulseguard's own client
 * (command timeout, retry strategy; the offline queue stays on only so that its first command
 * can be sent before the connection is ready). Environment
 * variables: BENCH_RL_SECONDS (seconds per round, default 1), BENCH_RL_ROUNDS (default 5),
 * BENCH_RL_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitsSchema } from '../src/config/schema/rate-limits';
import { createRateLimits, type Decision } from '../src/limits/index';
import { HotMetricRegistry } from '../src/metrics/hot-metrics';

import type { BenchRow } from './lib/bench-table';

export type { BenchRow };

const SECONDS = Number(process.env.BENCH_RL_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_RL_ROUNDS ?? 5);
const REDIS_URL = process.env.BENCH_RL_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Minimum ratio per case; the Redis store with one caller is latency-bound, so its bar is higher (issue 22). */
const TARGET = 0.9;
const TARGET_REDIS_ONE_CALLER = 0.95;
const KEYS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
// 150 points per key per window with 1000 keys: most decisions allow, some throttle (both paths run).
const POINTS = 150;
const DURATION_S = 10;

/**
 * One side's decision as its user writes it: the call, and how the awaited result says "allowed".
 * Bare rate-limiter-flexible rejects when over the limit, so its user turns that into a value
 * with `.then(ok, no)`; pulseguard resolves with a Decision, read with `.allowed` after the await.
 */
interface Decide<T = unknown> {
  call: (key: string) => Promise<T>;
  allowed: (result: T) => boolean;
}

/** Runs `callers` loops that each await one decision after another for `seconds`; returns decisions/s. */
async function measure(decide: Decide, callers: number, seconds: number): Promise<number> {
  const { call, allowed } = decide;
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  let sink = 0;
  const loop = async (offset: number): Promise<void> => {
    let i = offset;
    while (performance.now() < deadline) {
      // 64 decisions between clock reads keep the timer out of the measurement.
      for (let j = 0; j < 64; j++) {
        if (allowed(await call(KEYS[i++ % KEYS.length]))) sink++;
        count++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, (_, c) => loop(c * 97)));
  if (sink < 0) console.log(sink); // keep the result alive
  return count / ((performance.now() - started) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The bare rate-limiter-flexible call a user would write. */
function bare(limiter: RateLimiterAbstract): Decide {
  const ok = (): boolean => true;
  const no = (rej: unknown): boolean => {
    if (rej instanceof RateLimiterRes) return false;
    throw rej;
  };
  return { call: (key) => limiter.consume(key).then(ok, no), allowed: (r) => r as boolean };
}

/** pulseguard's `consume()`: the Decision is the resolved value. */
function decisions(limits: ReturnType<typeof createRateLimits>): Decide {
  return { call: (key) => limits.consume('bench.api', key), allowed: (d) => (d as Decision).allowed };
}

async function compare(name: string, baseline: Decide, pulseguard: Decide, callers: number, target = TARGET): Promise<BenchRow> {
  await measure(baseline, callers, 0.3); // warm-up, both sides
  await measure(pulseguard, callers, 0.3);
  const b: number[] = [];
  const p: number[] = [];
  // The order alternates (b p, p b, ...): a fixed order lets whatever runs second (Redis's
  // growing key set, the neighbours' load) weigh on one side only.
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      b.push(await measure(baseline, callers, SECONDS));
      p.push(await measure(pulseguard, callers, SECONDS));
    } else {
      p.push(await measure(pulseguard, callers, SECONDS));
      b.push(await measure(baseline, callers, SECONDS));
    }
  }
  const baselineOps = median(b);
  const pulseguardOps = median(p);
  const ratio = pulseguardOps / baselineOps;
  return { suite: 'ratelimit', case: name, baseline: Math.round(baselineOps), pulseguard: Math.round(pulseguardOps), unit: 'decisions/s', ratio: Math.round(ratio * 1000) / 1000, target, verdict: ratio >= target ? 'pass' : 'fail' };
}

/** Runs every case and returns the rows. */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const policies = { 'bench.api': { points: POINTS, durationMs: DURATION_S * 1000 } };

  const memLimits = createRateLimits({ config: rateLimitsSchema().parse({ policies }), metrics: new HotMetricRegistry() });
  const memBare = new RateLimiterMemory({ keyPrefix: 'bare', points: POINTS, duration: DURATION_S });
  rows.push(await compare('memory store, 1 caller', bare(memBare), decisions(memLimits), 1));

  const prefix = `pulseguard-bench:${randomUUID()}`;
  // The same ioredis options pulseguard's own client uses (stores/redis-store.ts), so the ratio
  // measures pulseguard's wrapper and not a client setting.
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 500, retryStrategy: (times) => Math.min(times * 100, 2000) });
  try {
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(err as Error).message}). Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log`);
  }
  const redisBare = new RateLimiterRedis({ storeClient: client, keyPrefix: `${prefix}:bare`, points: POINTS, duration: DURATION_S });
  const redisLimits = createRateLimits({ config: rateLimitsSchema().parse({ store: 'redis', redisUrl: REDIS_URL, keyPrefix: `${prefix}:pg`, policies }), metrics: new HotMetricRegistry() });
  await redisLimits.ready(2000);
  try {
    rows.push(await compare('redis store, 1 caller', bare(redisBare), decisions(redisLimits), 1, TARGET_REDIS_ONE_CALLER));
    rows.push(await compare('redis store, 50 callers', bare(redisBare), decisions(redisLimits), 50));
  } finally {
    await redisLimits.close();
    client.disconnect();
  }
  return rows;
}

if (require.main === module) {
  run().then(
    (rows) => {
      console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString()}`);
      console.log(`${ROUNDS} rounds of ${SECONDS} s per side, median round`);
      console.table(rows);
      process.exitCode = rows.every((r) => r.verdict === 'pass') ? 0 : 1;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
