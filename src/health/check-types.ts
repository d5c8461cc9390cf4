// What a health check is and returns: a leaf of types, so the check runner and the connection
// monitor can use them without importing the Health handle that names them (no import cycle).

/** A check's verdict, in application/health+json terms. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** The specification's vocabulary for a whole service or component. */
export type HealthState = 'healthy' | 'degraded' | 'unhealthy';

/** What a health check returns (or resolves to). */
export interface CheckResult {
  /** pass, warn (degraded but serving) or fail. */
  status: CheckStatus;
  /** The measured value (a latency, a count, a ratio). */
  observedValue?: unknown;
  /** Unit of observedValue (`ms`, `percent`, `{connection}`...). */
  observedUnit?: string;
  /** Human-readable detail; shown on /health/detailed only, because it can reveal internals. */
  output?: string;
  /** Extra per-check detail; shown on /health/detailed only. */
  details?: Record<string, unknown>;
}

/**
 * A health check. It gets an AbortSignal that fires when the check's timeout passes, so it can
 * cancel its own I/O; a check that ignores the signal is still reported as timed out.
 */
export type HealthCheck = (signal: AbortSignal) => CheckResult | Promise<CheckResult>;

/** Options of {@link Health.register}. */
export interface RegisterOptions {
  /**
   * A failing critical check makes the service unhealthy (HTTP 503); a failing non-critical one
   * only degrades it (HTTP 200, status warn).
   * @default true
   */
  critical?: boolean;
  /** This check's timeout. @default config health.checkTimeoutMs (2000) */
  timeoutMs?: number;
  /** How long a result is reused. @default config health.cacheTtlMs (5000) */
  cacheTtlMs?: number;
  /** The health+json component name (key `component:measurement`). @default the part of `name` before ":" */
  component?: string;
  /** The health+json measurement name. @default the part of `name` after ":", else "status" */
  measurement?: string;
  /** health+json componentType (`datastore`, `system`, `component`...). */
  componentType?: string;
}

/**
 * Closed set of codes a check outcome or an endpoint error carries (docs/health.md "Error codes").
 */
export type HealthErrorCode =
  | 'CHECK_TIMEOUT'
  | 'CHECK_THREW'
  | 'CHECK_STILL_RUNNING'
  | 'CHECK_INVALID_RESULT'
  | 'SHUTTING_DOWN'
  | 'UNAUTHORIZED'
  | 'DETAILED_DISABLED'
  | 'COMPONENT_NOT_CONFIGURED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_STARTED'
  | 'INTERNAL';
