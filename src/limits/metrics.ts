import type { HotHistogramSeries, HotMetricRegistry, HotSum } from '../metrics/hot-metrics';
import {
  ATTR_OUTCOME,
  ATTR_RATELIMIT_POLICY,
  METRIC_RATELIMIT_DECISIONS,
  METRIC_RATELIMIT_QUEUE_WAIT,
  METRIC_RATELIMIT_STORE_FALLBACKS,
  QUEUE_WAIT_BUCKETS,
} from './semconv';
import type { DecisionOutcome } from './types';

/**
 * The metric handles of one policy, resolved once when the policy is created so that a decision
 * costs a plain field increment (hot paths never call the SDK per call: docs/architecture.md, "Why the hot registry exists").
 *
 * @internal
 */
export interface PolicyMetrics {
  readonly decisions: Readonly<Record<DecisionOutcome, HotSum>>;
  readonly queueWait: HotHistogramSeries;
  readonly fallbacks: HotSum;
}

/** Creates (idempotently) the rate-limit metric families and resolves a policy's handles. @internal */
export function createPolicyMetrics(registry: HotMetricRegistry, policy: string): PolicyMetrics {
  const decisions = registry.counter({ name: METRIC_RATELIMIT_DECISIONS, description: 'Rate-limit decisions, by policy and outcome.', unit: '{decision}' });
  const queueWait = registry.histogram(
    { name: METRIC_RATELIMIT_QUEUE_WAIT, description: 'Time a queued call waited for its rate-limit slot.', unit: 's' },
    QUEUE_WAIT_BUCKETS,
  );
  const fallbacks = registry.counter({
    name: METRIC_RATELIMIT_STORE_FALLBACKS,
    description: 'Rate-limit calls answered by the in-process insurance limiter because the shared store failed.',
    unit: '{decision}',
  });
  // Every outcome series exists from the start at 0, so a ratio rule has a denominator.
  const d = (outcome: DecisionOutcome) => decisions.series({ [ATTR_RATELIMIT_POLICY]: policy, [ATTR_OUTCOME]: outcome });
  return {
    decisions: { allowed: d('allowed'), throttled: d('throttled'), queued: d('queued'), store_error: d('store_error') },
    queueWait: queueWait.series({ [ATTR_RATELIMIT_POLICY]: policy }),
    fallbacks: fallbacks.series({ [ATTR_RATELIMIT_POLICY]: policy }),
  };
}
