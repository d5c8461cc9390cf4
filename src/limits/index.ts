export { createRateLimits, RateLimitRegistry, RateLimitUsageError } from './limiter-registry';
export { resolvePolicies, resolvePolicy } from './policies';
export { createRateLimitHealth } from './health';
export type { RateLimitHealthSnapshot, PolicyRateStatus } from './health';
export {
  METRIC_RATELIMIT_DECISIONS,
  METRIC_RATELIMIT_QUEUE_WAIT,
  METRIC_RATELIMIT_STORE_FALLBACKS,
  METRIC_RATELIMIT_STORE_DEGRADED,
  ATTR_RATELIMIT_POLICY,
  ATTR_OUTCOME,
  OUTCOME_VALUE_ALLOWED,
  OUTCOME_VALUE_THROTTLED,
  OUTCOME_VALUE_QUEUED,
  OUTCOME_VALUE_STORE_ERROR,
  POLICY_WS_CONNECTIONS_PER_USER,
  POLICY_WS_CONNECTIONS_TOTAL,
} from './semconv';
export type {
  Decision,
  DecisionOutcome,
  DecisionReason,
  RateLimitPolicy,
  RateLimitPolicyInput,
  ConsumeOptions,
  ConnectionLease,
  RateLimits,
  CreateRateLimitsOptions,
} from './types';
