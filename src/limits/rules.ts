import type { RuleInput } from '../config/types';
import { ATTR_OUTCOME, METRIC_RATELIMIT_DECISIONS, OUTCOME_VALUE_THROTTLED } from './semconv';

/** `telegram.flood_waits` (instrumentations/telegram): counted there, alerted on here. */
const METRIC_TELEGRAM_FLOOD_WAITS = 'telegram.flood_waits';

/** Levels of the rate-limit rules; `thresholds.rateLimits` of the configuration has the same fields. */
export interface RateLimitRuleLevels {
  /** Throttled share of decisions. @default 0.1 */
  throttledRatio: number;
  /** Telegram flood waits per hour. @default 5 */
  floodWaits: number;
}

/**
 * The spec's rate-limit monitor as rules (plain data in the shape of `ruleSchema`, evaluated by
 * the evaluator and exportable as Prometheus rules):
 * - `high_throttle_rate`: more than 10% of rate-limit decisions throttled over 5 minutes;
 * - `telegram_flood_wait`: more than 5 Telegram flood waits in an hour.
 */
export function rateLimitRules(levels: RateLimitRuleLevels = { throttledRatio: 0.1, floodWaits: 5 }): RuleInput[] {
  return [
    {
      name: 'high_throttle_rate',
      metric: METRIC_RATELIMIT_DECISIONS,
      statistic: 'ratio',
      filter: { [ATTR_OUTCOME]: OUTCOME_VALUE_THROTTLED },
      denominator: METRIC_RATELIMIT_DECISIONS,
      window: '5m',
      warning: levels.throttledRatio,
      for: '1m',
      labels: { severity: 'warning', area: 'ratelimit' },
      annotations: {
        summary: `More than ${levels.throttledRatio * 100}% of rate-limit decisions are throttled`,
        description: 'Throttled share over 5m is {{ $value }} (spec: alert above 10%).',
      },
    },
    {
      name: 'telegram_flood_wait',
      metric: METRIC_TELEGRAM_FLOOD_WAITS,
      statistic: 'increase',
      window: '1h',
      warning: levels.floodWaits,
      labels: { severity: 'warning', area: 'telegram' },
      annotations: {
        summary: `More than ${levels.floodWaits} Telegram flood waits per hour`,
        description: '{{ $value }} flood waits in the last hour (spec: alert above 5).',
      },
    },
  ];
}

/** The rules with the spec's levels. */
export const RATE_LIMIT_RULES: readonly RuleInput[] = rateLimitRules();
