import { z } from 'zod/v3';
import { durationMs, refineWith, section } from './common';

/** A duration as "5m" / "30s" / "1h" or milliseconds; resolves to milliseconds. */
export const duration = () => durationMs();

export const STATISTICS = ['rate', 'increase', 'ratio', 'avg', 'p50', 'p95', 'p99', 'max', 'last'] as const;

/** One threshold rule, in the shape of a Prometheus alerting rule. */
export const ruleSchema = () => refineWith(refineWith(z
  .object({
    /** Alert name, Prometheus style. */
    name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must match [a-zA-Z_][a-zA-Z0-9_]* (a Prometheus alertname)'),
    /** Metric name as instrumented (dots), e.g. "websocket.message.latency". */
    metric: z.string().min(1),
    statistic: z.enum(STATISTICS),
    /** Denominator metric for statistic "ratio". */
    denominator: z.string().min(1).optional(),
    /** Attribute filter on the denominator (ratio only). */
    denominatorFilter: z.record(z.string(), z.string()).optional(),
    /** Window the statistic is computed over. @default "5m" */
    window: duration().default(300_000),
    /**
     * Attribute filters, Prometheus matcher style: "v" (equal), "!=v", "=~regex", "!~regex"
     * (regexes are anchored, as in PromQL).
     */
    filter: z.record(z.string(), z.string()).default({}),
    /** One alert per distinct value of these attributes. */
    groupBy: z.array(z.string().min(1)).default([]),
    warning: z.number().finite().optional(),
    critical: z.number().finite().optional(),
    /** Fire when the value is above (">", ">=") or below ("<", "<=") the level. @default ">" */
    comparison: z.enum(['>', '>=', '<', '<=']).default('>'),
    /** How long the condition must hold before firing. @default 0 */
    for: duration().default(0),
    /** Keep firing this long after the condition clears. @default 0 */
    keepFiringFor: duration().default(0),
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
    /** Recovery procedure run when the rule fires. */
    recovery: z.string().min(1).optional(),
    /** Scale from the metric's unit to the level's unit (e.g. 1000 for seconds to ms). @default 1 */
    scale: z.number().finite().positive().default(1),
  })
  .strict(),
  'ruleHasLevel', { message: 'a rule needs a warning or a critical level', path: ['warning'] }),
  'ratioHasDenominator', { message: 'statistic "ratio" needs a denominator metric', path: ['denominator'] });

export const rulesSchema = () => section({
  /** Run the in-process evaluator. @default true */
  enabled: z.boolean().default(true),
  /** Evaluation interval. @default 15000 */
  evaluationIntervalMs: durationMs(100).default(15_000),
  /** Load the built-in rule pack (the specification's thresholds). @default true */
  defaults: z.boolean().default(true),
  /** Names of built-in rules to turn off. @default [] */
  disable: z.array(z.string().min(1)).default([]),
  /** Your own rules, added to (or replacing, by name) the built-in ones. @default [] */
  custom: z.array(ruleSchema()).default([]),
  /**
   * A `for` timer kept in the alert journal is restored only when the process was down shorter
   * than this (Prometheus' --rules.alert.for-outage-tolerance). @default 3600000 (1 h)
   */
  outageToleranceMs: durationMs().default(3_600_000),
  /**
   * A restored pending alert fires no sooner than this after the restart, unless its `for` is
   * shorter, in which case `for` is not restored (Prometheus' --rules.alert.for-grace-period).
   * @default 600000 (10 min)
   */
  forGracePeriodMs: durationMs().default(600_000),
  /** How much history `telemetry.report()` keeps in memory. @default 3600000 (1 h) */
  historyMs: durationMs(60_000, 24 * 3_600_000).default(3_600_000),
});
