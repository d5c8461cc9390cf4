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
