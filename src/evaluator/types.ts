import type { Rule, RuleInput } from '../config/types';

/** Alert severities a rule can raise; critical inhibits warning of the same alert and label set. */
export type Severity = 'warning' | 'critical';

/** Where an alert is in its life: Prometheus' states plus the final `resolved`. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** Health of one rule at its last evaluation. `nodata`: its metric has not been reported at all. */
export type RuleHealth = 'ok' | 'nodata' | 'error';

/** One alert: a rule, a severity and a label set (Prometheus: one alert per label set). */
export interface Alert {
  /** Stable id: rule name, severity and labels. */
  readonly id: string;
  readonly alertname: string;
  readonly severity: Severity;
  state: AlertState;
  /** Rule labels, group-by labels, `alertname` and `severity`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Rendered annotation templates. */
  annotations: Record<string, string>;
  /** The rule's value (after `scale`) at the last evaluation that had one. */
  value: number;
  /** The level the value was compared with. */
  readonly threshold: number;
  /** When the condition first held (epoch ms). */
  readonly activeAt: number;
  /** When the alert started firing. */
  firedAt?: number;
  /** When it resolved. */
  resolvedAt?: number;
  /** Recovery procedure the rule names, if any. */
  readonly recovery?: string;
}

/** The listener signature for every alert event. */
export type AlertListener = (alert: Readonly<Alert>) => void;

/** Alert events in-process. */
export type AlertEventName = 'pending' | 'firing' | 'resolved';

/** Status of one rule, for `pulseguard check` and `telemetry.alerts.rules()`. */
export interface RuleStatus {
  readonly name: string;
  readonly health: RuleHealth;
  /** Epoch ms of the last evaluation. */
  readonly lastEvaluation?: number;
  /** Label sets the rule produced a value for. */
  readonly series: number;
  /** Why health is not ok. */
  readonly message?: string;
}

/** `telemetry.alerts`: alert events, active alerts and on-demand evaluation. */
export interface AlertsApi {
  /** Subscribes to an alert event; returns an unsubscribe function. Listener errors are contained. */
  on(event: AlertEventName, listener: AlertListener): () => void;
  off(event: AlertEventName, listener: AlertListener): void;
  /** Pending and firing alerts (inhibited warnings are left out). */
  active(): Alert[];
  /** Rule health after the last evaluation. */
  rules(): RuleStatus[];
  /** Runs one evaluation now (skipped if one is running) and resolves when it is done. */
  evaluateNow(): Promise<void>;
}

/** Options of {@link buildDefaultRules}. */
export interface DefaultRulesOptions {
  /** Rules other areas export (pool rules, rate-limit rules), added to the pack. */
  extraRules?: readonly RuleInput[];
  /** Number of CPUs the CPU rule divides by. @default os.availableParallelism() */
  cpuCount?: number;
}

/** Arguments of `telemetry.report()`. */
export interface ReportOptions {
  /** Period to cover, "1h", "30m"... @default "1h" */
  period?: string | number;
  /** Step of the time series in the report. @default "1m" */
  resolution?: string | number;
}

/** Latency percentiles in milliseconds (null when there were no observations). */
export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  avg: number | null;
  count: number;
}

/** One step of an area's time series. */
export interface ReportPoint {
  /** Step end, ISO 8601. */
  time: string;
  p95: number | null;
  throughput: number;
  errorRate: number | null;
  saturation: number | null;
}

/** The spec's analyzeNetworkPerformance output for one area. */
export interface AreaReport {
  /** Metric the latency comes from. */
  metric: string;
  latency: LatencySummary;
  /** Operations per second. */
  throughput: number;
  /** Failed share of operations (0..1), null without operations. */
  errorRate: number | null;
  /** Area-specific utilization (0..1), null when unknown. */
  saturation: number | null;
  points: ReportPoint[];
}

/** The spec's analyzeQueryPerformance output. */
export interface QueryReport {
  /** Queries slower than thresholds.database.queryTime (bucket estimate). */
  slowerThanQueryTime: number;
  /** Queries slower than 200 ms, the spec's listing threshold (bucket estimate). */
  slowerThan200ms: number;
  /** db.client.slow_queries by operation. */
  slowByOperation: Record<string, number>;
}

/** The spec's monitorMemoryUsage output, in MB. */
export interface MemoryReport {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
  peakRss: number;
  peakHeapUsed: number;
}

/** What `telemetry.report()` returns. */
export interface PerformanceReport {
  from: string;
  to: string;
  periodMs: number;
  resolutionMs: number;
  /** Actual history covered (less than the period right after start). */
  coveredMs: number;
  areas: Record<string, AreaReport>;
  queries: QueryReport;
  memory: MemoryReport | null;
}

export type { Rule, RuleInput };
