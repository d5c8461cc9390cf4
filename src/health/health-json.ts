import type { CheckOutcome, CheckStatus, HealthReport, HealthState } from './types';

/** The media type of every health body (draft-inadarei-api-health-check). */
export const HEALTH_JSON_CONTENT_TYPE = 'application/health+json; charset=utf-8';

const TO_CHECK_STATUS: Readonly<Record<HealthState | CheckStatus, CheckStatus>> = {
  healthy: 'pass',
  degraded: 'warn',
  unhealthy: 'fail',
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
};

/** healthy -> pass, degraded -> warn, unhealthy -> fail (pass/warn/fail map to themselves). */
export function toCheckStatus(status: HealthState | CheckStatus): CheckStatus {
  return TO_CHECK_STATUS[status];
}

/** True when `value` is one of the six status words. */
export function isStatusWord(value: unknown): value is HealthState | CheckStatus {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TO_CHECK_STATUS, value);
}

/**
 * The service state from its checks: a failing critical check -> unhealthy; a failing
 * non-critical one or any warn -> degraded; else healthy (also with no checks at all).
 */
export function aggregateState(checks: readonly CheckOutcome[]): HealthState {
  let state: HealthState = 'healthy';
  for (const c of checks) {
    if (c.result.status === 'fail' && c.critical) return 'unhealthy';
    if (c.result.status !== 'pass') state = 'degraded';
  }
  return state;
}

/** One entry of the health+json `checks` object. */
export interface HealthJsonCheck {
  componentId?: string;
  componentType?: string;
  observedValue?: unknown;
  observedUnit?: string;
  status: CheckStatus;
  time: string;
  errorCode?: string;
  output?: string;
  details?: Record<string, unknown>;
  critical?: boolean;
  latencyMs?: number;
  cached?: boolean;
}

/** The `component:measurement` key of a check. */
export function checkKey(c: Pick<CheckOutcome, 'component' | 'measurement'>): string {
  return `${c.component}:${c.measurement}`;
}

/**
 * Builds the health+json `checks` object. `detailed` adds output, details, latency and flags,
 * which can reveal internals (hosts, error messages) and so stay behind /health/detailed.
 */
export function toHealthJsonChecks(checks: readonly CheckOutcome[], detailed: boolean): Record<string, HealthJsonCheck[]> {
  const out: Record<string, HealthJsonCheck[]> = {};
  for (const c of checks) {
    const entry: HealthJsonCheck = { status: c.result.status, time: c.time };
    if (c.name !== checkKey(c) && c.name !== c.component) entry.componentId = c.name;
    if (c.componentType !== undefined) entry.componentType = c.componentType;
    if (c.result.observedValue !== undefined) entry.observedValue = c.result.observedValue;
    if (c.result.observedUnit !== undefined) entry.observedUnit = c.result.observedUnit;
    if (c.errorCode !== undefined) entry.errorCode = c.errorCode;
    if (detailed) {
      if (c.result.output !== undefined) entry.output = c.result.output;
      if (c.result.details !== undefined) entry.details = c.result.details;
      entry.critical = c.critical;
      entry.latencyMs = Math.round(c.durationMs * 1000) / 1000;
      entry.cached = c.cached;
    }
    (out[checkKey(c)] ??= []).push(entry);
  }
  return out;
}

/** The /health body: the spec's fields (status, timestamp, checks, version) in health+json form. */
export function toHealthJson(report: HealthReport, detailed: boolean): Record<string, unknown> {
  return {
    status: toCheckStatus(report.status),
    version: report.version,
    timestamp: report.timestamp,
    checks: toHealthJsonChecks(report.checks, detailed),
  };
}

/** HTTP status of /health and /readyz: 200 healthy or degraded, 503 unhealthy. */
export function httpStatusOf(state: HealthState): number {
  return state === 'unhealthy' ? 503 : 200;
}
