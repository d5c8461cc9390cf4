/**
 * Names of the rate-limit metrics and attributes. Prometheus shows
 * `ratelimit.decisions` as `ratelimit_decisions_total`.
 */

/** Rate-limit decisions, by policy and outcome. */
export const METRIC_RATELIMIT_DECISIONS = 'ratelimit.decisions' as const;
/** Time a queued (outbound) call waited for its turn, in seconds. */
export const METRIC_RATELIMIT_QUEUE_WAIT = 'ratelimit.queue.wait' as const;
/** Decisions answered by the in-process insurance limiter because the shared store failed. */
export const METRIC_RATELIMIT_STORE_FALLBACKS = 'ratelimit.store.fallbacks' as const;
/**
 * 1 while the shared (Redis) store is not trusted: disconnected, its circuit breaker open or
 * probing, or its last call failed; 0 otherwise. Reported with the Redis store only.
 */
export const METRIC_RATELIMIT_STORE_DEGRADED = 'ratelimit.store.degraded' as const;

/** The policy a decision was made under (a closed set: the configured policy names). */
export const ATTR_RATELIMIT_POLICY = 'ratelimit.policy' as const;
/** What the decision was. */
export const ATTR_OUTCOME = 'outcome' as const;

/** The call may proceed now. */
export const OUTCOME_VALUE_ALLOWED = 'allowed' as const;
/** The call is over the limit (inbound: answer 429). */
export const OUTCOME_VALUE_THROTTLED = 'throttled' as const;
/** The call was held in the queue, then allowed (outbound, queue-mode policies). */
export const OUTCOME_VALUE_QUEUED = 'queued' as const;
/** The store failed and no insurance limiter answered; `onStoreError` decided. */
export const OUTCOME_VALUE_STORE_ERROR = 'store_error' as const;

/** Every outcome, in the order series are pre-created at 0. */
export const OUTCOMES = [OUTCOME_VALUE_ALLOWED, OUTCOME_VALUE_THROTTLED, OUTCOME_VALUE_QUEUED, OUTCOME_VALUE_STORE_ERROR] as const;

/** Bucket boundaries of ratelimit.queue.wait, in seconds (a Telegram queue waits up to a minute). */
export const QUEUE_WAIT_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

/** Policy names of the WebSocket connection caps (concurrency, not rate). */
export const POLICY_WS_CONNECTIONS_PER_USER = 'websocket.connections.perUser' as const;
/** Process-wide WebSocket connection cap. */
export const POLICY_WS_CONNECTIONS_TOTAL = 'websocket.connections.total' as const;
/** Policy of inbound WebSocket messages per connection (and their largest size). */
export const POLICY_WS_MESSAGES = 'websocket.messages' as const;
/** Policy of new WebSocket connections per process. */
export const POLICY_WS_NEW_CONNECTIONS = 'websocket.newConnections' as const;
