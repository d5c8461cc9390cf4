import { RateLimiterQueueError, RateLimiterRes, type RateLimiterAbstract } from './rate-limiter-flexible';
import { pulseguardMetrics } from '../metrics/registry';
import type { HotMetricRegistry } from '../metrics/hot-metrics';
import type { Logger } from '../logging/logger';
import type { RedisClient } from '../internal/redis-client';
import { ConnectionSlots } from './connection-slots';
import { allowedDecision, queuedDecision, refusedDecision, storeErrorDecision, throttledDecision, toError } from './decision';
import { createRateLimitHealth, type RateLimitHealthSnapshot } from './health';
import { createPolicyMetrics, type PolicyMetrics } from './metrics';
import { resolvePolicies, resolvePolicy } from './policies';
import { LocalPolicy } from './local-policy';
import { KeyedQueues } from './queue';
import { METRIC_RATELIMIT_STORE_DEGRADED, POLICY_WS_CONNECTIONS_PER_USER, POLICY_WS_CONNECTIONS_TOTAL } from './semconv';
import { MemoryStore } from './stores/memory-store';
import type * as RedisStoreModule from './stores/redis-store';
import { asRedisStore } from './stores/as-redis-store';
import type { ConnectionLease, ConsumeOptions, CreateRateLimitsOptions, Decision, LimiterStore, RateLimitPolicy, RateLimitPolicyInput, RateLimits } from './types';

/** The error `consume()` rejects with for a programming mistake (unknown policy, bad points). */
export class RateLimitUsageError extends Error {
  override readonly name = 'RateLimitUsageError';
}

/** One policy's limiter, metric handles and (queue mode) queues. @internal */
export interface PolicyEntry {
  readonly name: string;
  readonly policy: RateLimitPolicy;
  readonly limiter: RateLimiterAbstract;
  readonly metrics: PolicyMetrics;
  readonly queues: KeyedQueues | undefined;
  // Bound once per policy so consume() allocates no closure per call.
  readonly onResolved: (res: RateLimiterRes) => Decision;
  readonly onRejected: (rej: unknown) => Decision;
}

/**
 * `telemetry.limits`: policies over rate-limiter-flexible limiters in one store (memory or Redis
 * with insurance), decisions as values, metrics through the hot registry.
 *
 * @internal Use {@link createRateLimits}.
 */
export class RateLimitRegistry implements RateLimits {
  readonly storeKind: 'memory' | 'redis';
  /** @internal */
  readonly store: LimiterStore;
  private readonly entries = new Map<string, PolicyEntry>();
  private readonly metricsRegistry: HotMetricRegistry;
  private readonly logger: Logger | undefined;
  private readonly allowOnStoreError: boolean;
  private readonly now: () => number;
  private storeErrorLogged = false;
  /** The WebSocket connection caps (ws guards and acquireConnection() share them). @internal */
  readonly connections: ConnectionSlots;
  private readonly wsPerUser: PolicyMetrics;
  private readonly wsTotal: PolicyMetrics;
  // Synchronous views of policies, created on first use by localPolicy() and kept in step by setPolicy().
  private readonly locals = new Map<string, LocalPolicy>();
  private closed = false;

  constructor(readonly options: CreateRateLimitsOptions) {
    const cfg = options.config;
    this.metricsRegistry = options.metrics ?? pulseguardMetrics;
    this.logger = options.logger;
    this.allowOnStoreError = cfg.onStoreError === 'allow';
    this.now = options.now ?? Date.now;
    this.store =
      cfg.store === 'redis'
        // Required here: a memory configuration never loads the Redis store and its guards.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ? new (require('./stores/redis-store') as typeof RedisStoreModule).RedisStore({
            url: cfg.redisUrl,
            client: options.redis,
            keyPrefix: cfg.keyPrefix,
            commandTimeoutMs: cfg.redisCommandTimeoutMs,
            breakerFailures: cfg.breakerFailures,
            breakerOpenMs: cfg.breakerOpenMs,
            rememberKeys: cfg.rememberKeys,
            insurance: cfg.insurance,
            insuranceDivisor: cfg.insuranceDivisor,
            onFallback: (policy) => this.entries.get(policy)?.metrics.fallbacks.add(),
            logger: options.logger,
            now: options.now,
          })
        : new MemoryStore();
    this.storeKind = this.store.kind;
    const store = asRedisStore(this.store);
    if (store) {
      this.metricsRegistry.observe(
        { name: METRIC_RATELIMIT_STORE_DEGRADED, description: 'Whether the shared rate-limit store is degraded (1: decisions answered in-process or by onStoreError).', unit: '1' },
        () => [{ value: store.degraded ? 1 : 0, attributes: {} }],
      );
    }
    for (const [name, policy] of resolvePolicies(cfg)) this.entries.set(name, this.createEntry(name, policy));
    this.wsPerUser = createPolicyMetrics(this.metricsRegistry, POLICY_WS_CONNECTIONS_PER_USER);
    this.wsTotal = createPolicyMetrics(this.metricsRegistry, POLICY_WS_CONNECTIONS_TOTAL);
    this.connections = new ConnectionSlots({ perUser: cfg.websocketConnections.perUser, total: cfg.websocketConnections.total }, this.wsTotal, this.wsPerUser);
  }

  /** Per-user and total connection caps. */
  get connectionCaps(): { perUser: number; total: number } {
    return this.connections.caps;
  }

  /** Connection slots held right now (for health). */
  get activeConnections(): number {
    return this.connections.held;
  }

  private createEntry(name: string, policy: RateLimitPolicy): PolicyEntry {
    const limiter = this.store.createLimiter(name, policy);
    const metrics = createPolicyMetrics(this.metricsRegistry, name);
    const limit = policy.points;
    return {
      name,
      policy,
      limiter,
      metrics,
      queues: policy.mode === 'queue' ? new KeyedQueues(limiter, policy.maxQueueSize, policy.durationMs, this.now) : undefined,
      onResolved: (res) => {
        metrics.decisions.allowed.value++;
        this.storeErrorLogged = false;
        return allowedDecision(name, limit, res);
      },
      onRejected: (rej) => {
        if (rej instanceof RateLimiterRes) {
          metrics.decisions.throttled.value++;
          return throttledDecision(name, limit, rej);
        }
        return this.storeError(metrics, name, limit, rej, this.failsOpen(policy));
      },
    };
  }

  /** The policy's own fail-open/closed choice, else the section's. */
  private failsOpen(policy: RateLimitPolicy): boolean {
    return policy.onStoreError === undefined ? this.allowOnStoreError : policy.onStoreError === 'allow';
  }

  private storeError(metrics: PolicyMetrics, name: string, limit: number, rej: unknown, allow: boolean): Decision {
    metrics.decisions.store_error.value++;
    if (!this.storeErrorLogged) {
      this.storeErrorLogged = true;
      this.logger?.warn({ err: toError(rej), policy: name, onStoreError: allow ? 'allow' : 'deny' }, 'rate-limit store failed');
    }
    return storeErrorDecision(name, limit, allow);
  }

  consume(policy: string, key: string | number, points = 1, options?: ConsumeOptions): Promise<Decision> {
    const entry = this.entries.get(policy);
    if (entry === undefined) return Promise.reject(new RateLimitUsageError(`unknown rate-limit policy "${policy}"`));
    const p = entry.policy;
    // One comparison chain instead of Number.isInteger + two bounds on the common path (points = 1).
    if (points !== 1 && (!Number.isInteger(points) || points < 1 || points > p.points)) {
      return Promise.reject(new RateLimitUsageError(`points must be an integer from 1 to ${p.points} for policy "${policy}", got ${points}`));
    }
    if (options?.sizeBytes !== undefined && p.maxSizeBytes !== undefined && options.sizeBytes > p.maxSizeBytes) {
      entry.metrics.decisions.throttled.value++;
      return Promise.resolve(refusedDecision(policy, p.points, 'too_large'));
    }
    if (entry.queues !== undefined) return this.consumeQueued(entry, String(key), points);
    return entry.limiter.consume(key, points).then(entry.onResolved, entry.onRejected);
  }

  private async consumeQueued(entry: PolicyEntry, key: string, points: number): Promise<Decision> {
    const { metrics, name, policy } = entry;
    const queues = entry.queues as KeyedQueues;
    // Try the store directly while nobody waits for this key: "queued" then means the call really
    // waited (timing alone cannot tell, a Redis round trip also takes time), and FIFO order holds
    // because a key with waiters always goes through its queue.
    if (!queues.hasWaiters(key)) {
      try {
        const res = await entry.limiter.consume(key, points);
        metrics.queueWait.record(0);
        return { ...entry.onResolved(res), waitedMs: 0 };
      } catch (rej) {
        if (!(rej instanceof RateLimiterRes)) return this.storeError(metrics, name, policy.points, rej, this.failsOpen(policy));
      }
    }
    try {
      const { remaining, waitedMs } = await queues.removeTokens(key, points);
      metrics.queueWait.record(waitedMs / 1000);
      metrics.decisions.queued.value++;
      this.storeErrorLogged = false;
      return queuedDecision(name, policy.points, remaining, waitedMs);
    } catch (err) {
      if (err instanceof RateLimiterQueueError) {
        metrics.decisions.throttled.value++;
        return refusedDecision(name, policy.points, 'queue_full', policy.durationMs);
      }
      return this.storeError(metrics, name, policy.points, err, this.failsOpen(policy));
    }
  }

  acquireConnection(userKey: string | number): Promise<ConnectionLease> {
    const key = String(userKey);
    const decision = this.connections.acquire(key);
    if (!decision.allowed) return Promise.resolve({ decision, release: noop });
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.connections.release(key);
    };
    return Promise.resolve({ decision, release });
  }

  /**
   * The policy `name` decided synchronously over windows its caller holds (the ws message and
   * new-connection guards), or undefined when the policy does not exist (set to `false`).
   * @internal
   */
  localPolicy(name: string): LocalPolicy | undefined {
    let local = this.locals.get(name);
    if (local === undefined) {
      const entry = this.entries.get(name);
      if (entry === undefined) return undefined;
      local = new LocalPolicy(name, entry.policy, entry.metrics);
      this.locals.set(name, local);
    }
    return local;
  }

  policies(): ReadonlyMap<string, RateLimitPolicy> {
    const out = new Map<string, RateLimitPolicy>();
    for (const [name, e] of this.entries) out.set(name, e.policy);
    return out;
  }

  setPolicy(name: string, input: RateLimitPolicyInput): void {
    this.entries.get(name)?.queues?.clear();
    const entry = this.createEntry(name, resolvePolicy(name, input));
    this.entries.set(name, entry);
    const local = this.locals.get(name);
    if (local !== undefined) local.policy = entry.policy;
  }

  /** Every policy entry (health reads the counters). @internal */
  policyEntries(): IterableIterator<PolicyEntry> {
    return this.entries.values();
  }

  /** Metric handles of the connection caps (health). @internal */
  connectionMetrics(): { perUser: PolicyMetrics; total: PolicyMetrics } {
    return { perUser: this.wsPerUser, total: this.wsTotal };
  }

  private healthReporter: (() => RateLimitHealthSnapshot) | undefined;

  health(): RateLimitHealthSnapshot {
    this.healthReporter ??= createRateLimitHealth(this, { now: this.now });
    return this.healthReporter();
  }

  /**
   * True while the shared store is not trusted: Redis disconnected, its circuit breaker open or
   * probing, or its last call failed (the fallback or onStoreError answers). Always false in memory.
   */
  get degraded(): boolean {
    return asRedisStore(this.store)?.degraded === true;
  }

  /** The Redis store's circuit breaker state; undefined with the memory store. */
  get breakerState(): 'closed' | 'open' | 'half_open' | undefined {
    return asRedisStore(this.store)?.breaker.state;
  }

  /** The Redis client of the store (for other fleet-wide state, e.g. alert de-duplication); undefined in memory. @internal */
  get redisClient(): RedisClient | undefined {
    return asRedisStore(this.store)?.client;
  }

  /** Waits (bounded) for the Redis connection; true when ready or when the store is memory. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    return asRedisStore(this.store)?.ready(timeoutMs) ?? true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.entries.values()) e.queues?.clear();
    await this.store.close();
  }
}

function noop(): void {}

/**
 * Builds the rate-limit API from the `rateLimits` configuration section. `start()` does this for
 * you (`telemetry.limits`); call it yourself to use the limits without the rest of pulseguard.
 */
export function createRateLimits(options: CreateRateLimitsOptions): RateLimitRegistry {
  return new RateLimitRegistry(options);
}
