import { errorText } from './check-runner';
import type { CheckResult, HealthCheck, RegisterOptions } from './check-types';

/** The dependencies the specification's ConnectionMonitor watches. */
export type ConnectionKind = 'websocket' | 'telegram' | 'database' | 'api';

/** The specification's ConnectionMetrics.status. */
export type ConnectionStatus = 'healthy' | 'degraded' | 'down';

/** The specification's ConnectionMetrics (times in ms, errorRate a ratio over the window). */
export interface ConnectionMetrics {
  kind: ConnectionKind;
  status: ConnectionStatus;
  /** ISO time of the last probe, undefined before the first. */
  lastCheck: string | undefined;
  /** Duration of the last probe, ms. */
  responseTime: number;
  /** Failed probes / probes over the window. */
  errorRate: number;
  /** From the probe's result, when it reports one. */
  activeConnections: number;
}

/** API latency percentiles over the window, ms. */
export interface LatencyMetrics {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
  errorRate: number;
}

/** What ConnectionMonitor.checkHealth() returns (the specification's HealthReport). */
export interface ConnectionHealthReport {
  websocket?: ConnectionMetrics;
  telegram?: ConnectionMetrics;
  database?: ConnectionMetrics;
  api?: ConnectionMetrics;
  latency: LatencyMetrics;
  /** Every watched dependency by name (several of one kind are allowed). */
  dependencies: Record<string, ConnectionMetrics>;
}

/** A probe resolves when the dependency answered; it may report how many connections are open. */
export type ConnectionProbe = (signal: AbortSignal) => void | { activeConnections?: number } | Promise<void | { activeConnections?: number }>;

/** The specification's connection thresholds (config thresholds.connection). */
export interface ConnectionThresholds {
  /** ms. @default { warning: 1000, critical: 5000 } */
  responseTime: { warning: number; critical: number };
  /** ratio. @default { warning: 0.05, critical: 0.15 } */
  errorRate: { warning: number; critical: number };
}

/** Options of {@link ConnectionMonitor.watch}. */
export interface WatchOptions {
  /** @default true, except for kind "api" */
  critical?: boolean;
  timeoutMs?: number;
}

/** @internal What the monitor needs from the registry. */
export interface ConnectionMonitorHost {
  register(name: string, check: HealthCheck, options: RegisterOptions): () => void;
  run(name: string): Promise<unknown>;
}

const COMPONENT_TYPE: Readonly<Record<ConnectionKind, string>> = { websocket: 'component', telegram: 'component', database: 'datastore', api: 'component' };
const STATUS_RANK: Readonly<Record<ConnectionStatus, number>> = { healthy: 0, degraded: 1, down: 2 };
const TO_CHECK: Readonly<Record<ConnectionStatus, CheckResult['status']>> = { healthy: 'pass', degraded: 'warn', down: 'fail' };
/** The check name under which API latency percentiles are reported. */
export const API_LATENCY_CHECK = 'api:latency' as const;

/** Fixed-size window of probe outcomes: no allocation per probe. */
class OutcomeWindow {
  private readonly failed: Uint8Array;
  private next = 0;
  private size = 0;
  private failures = 0;
  constructor(capacity: number) {
    this.failed = new Uint8Array(capacity);
  }
  push(ok: boolean): void {
    if (this.size === this.failed.length) this.failures -= this.failed[this.next] ?? 0;
    else this.size++;
    this.failed[this.next] = ok ? 0 : 1;
    this.failures += ok ? 0 : 1;
    this.next = (this.next + 1) % this.failed.length;
  }
  get errorRate(): number {
    return this.size === 0 ? 0 : this.failures / this.size;
  }
}

interface Dependency {
  kind: ConnectionKind;
  outcomes: OutcomeWindow;
  lastCheck: number | undefined;
  lastOk: boolean;
  lastError: string | undefined;
  responseTime: number;
  activeConnections: number;
  unregister: () => void;
}

/**
 * The specification's ConnectionMonitor: watches WebSocket, Telegram, database and API endpoint
 * dependencies through probes, keeps response time and error rate over a window, and rates each
 * against the connection thresholds (response time 1 s / 5 s, error rate 5% / 15%). Every
 * watched dependency is also a health check `<name>:responseTime`, so /health reports it.
 */
export class ConnectionMonitor {
  private readonly deps = new Map<string, Dependency>();
  private readonly latencies: Float64Array;
  private latencyNext = 0;
  private latencySize = 0;
  private readonly apiOutcomes: OutcomeWindow;
  private latencyRegistered = false;

  constructor(
    private readonly thresholds: ConnectionThresholds,
    private readonly host: ConnectionMonitorHost,
    private readonly windowSize = 100,
    latencyWindow = 1000,
  ) {
    this.latencies = new Float64Array(latencyWindow);
    this.apiOutcomes = new OutcomeWindow(latencyWindow);
  }

  /** Rates a response time (ms) and error ratio against the thresholds. */
  evaluate(responseTimeMs: number, errorRate: number): ConnectionStatus {
    const t = this.thresholds;
    if (responseTimeMs > t.responseTime.critical || errorRate > t.errorRate.critical) return 'down';
    if (responseTimeMs > t.responseTime.warning || errorRate > t.errorRate.warning) return 'degraded';
    return 'healthy';
  }

  /**
   * Watches a dependency: `probe` runs on every (uncached) health check under the check's timeout.
   * Returns a function that stops watching.
   */
  watch(name: string, kind: ConnectionKind, probe: ConnectionProbe, options: WatchOptions = {}): () => void {
    if (this.deps.has(name)) throw new Error(`connection "${name}" is already watched`);
    const dep: Dependency = {
      kind, outcomes: new OutcomeWindow(this.windowSize), lastCheck: undefined, lastOk: true, lastError: undefined,
      responseTime: 0, activeConnections: 0, unregister: () => {},
    };
    this.deps.set(name, dep);
    dep.unregister = this.host.register(name, (signal) => this.probeOnce(dep, probe, signal), {
      component: name, measurement: 'responseTime', componentType: COMPONENT_TYPE[kind],
      critical: options.critical ?? kind !== 'api', timeoutMs: options.timeoutMs,
    });
    if (kind === 'api') this.ensureLatencyCheck();
    return () => {
      if (this.deps.get(name) !== dep) return;
      this.deps.delete(name);
      dep.unregister();
    };
  }

  /** Records one API request served by the app (ms, success), for the latency percentiles. */
  recordApiLatency(durationMs: number, ok = true): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    this.latencies[this.latencyNext] = durationMs;
    this.latencyNext = (this.latencyNext + 1) % this.latencies.length;
    if (this.latencySize < this.latencies.length) this.latencySize++;
    this.apiOutcomes.push(ok);
    this.ensureLatencyCheck();
  }

  /** Latency percentiles over the window (nearest rank), ms. */
  latency(): LatencyMetrics {
    const n = this.latencySize;
    const sorted = this.latencies.slice(0, n).sort();
    const rank = (q: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] ?? 0);
    return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: n === 0 ? 0 : (sorted[n - 1] ?? 0), count: n, errorRate: this.apiOutcomes.errorRate };
  }

  /** Probes every watched dependency (through the health cache) and reports the spec's shape. */
  async checkHealth(): Promise<ConnectionHealthReport> {
    await Promise.all([...this.deps.keys()].map((name) => this.host.run(name)));
    const report: ConnectionHealthReport = { latency: this.latency(), dependencies: {} };
    for (const [name, dep] of this.deps) {
      const m = this.metricsOf(dep);
      report.dependencies[name] = m;
      const current = report[dep.kind];
      if (!current || STATUS_RANK[m.status] > STATUS_RANK[current.status]) report[dep.kind] = m;
    }
    return report;
  }

  private metricsOf(dep: Dependency): ConnectionMetrics {
    const errorRate = dep.outcomes.errorRate;
    const status = dep.lastCheck !== undefined && !dep.lastOk ? 'down' : this.evaluate(dep.responseTime, errorRate);
    return {
      kind: dep.kind, status, lastCheck: dep.lastCheck === undefined ? undefined : new Date(dep.lastCheck).toISOString(),
      responseTime: dep.responseTime, errorRate, activeConnections: dep.activeConnections,
    };
  }

  /**
   * The health check's verdict. It differs from the spec's ConnectionMetrics.status on purpose: a
   * high error rate over the window only warns once the dependency answers again, otherwise
   * /health and /readyz would stay 503 for a whole window after an outage has ended.
   */
  private checkStatus(dep: Dependency): CheckResult['status'] {
    if (!dep.lastOk) return 'fail';
    const byTime = TO_CHECK[this.evaluate(dep.responseTime, 0)];
    if (byTime === 'fail') return 'fail';
    return byTime === 'warn' || dep.outcomes.errorRate > this.thresholds.errorRate.warning ? 'warn' : 'pass';
  }

  private async probeOnce(dep: Dependency, probe: ConnectionProbe, signal: AbortSignal): Promise<CheckResult> {
    const started = performance.now();
    try {
      const result = await Promise.race([probe(signal), aborted(signal)]);
      dep.lastOk = true;
      dep.lastError = undefined;
      if (result && typeof result.activeConnections === 'number') dep.activeConnections = result.activeConnections;
    } catch (err) {
      dep.lastOk = false;
      dep.lastError = errorText(err);
    }
    dep.responseTime = Math.round((performance.now() - started) * 1000) / 1000;
    dep.lastCheck = Date.now();
    dep.outcomes.push(dep.lastOk);
    if (dep.kind === 'api') this.recordApiLatency(dep.responseTime, dep.lastOk);
    const m = this.metricsOf(dep);
    return {
      status: this.checkStatus(dep), observedValue: m.responseTime, observedUnit: 'ms', output: dep.lastError,
      details: { kind: dep.kind, status: m.status, errorRate: m.errorRate, activeConnections: m.activeConnections },
    };
  }

  private ensureLatencyCheck(): void {
    if (this.latencyRegistered) return;
    this.latencyRegistered = true;
    this.host.register(API_LATENCY_CHECK, () => {
      const l = this.latency();
      return { status: TO_CHECK[this.evaluate(l.p95, l.errorRate)], observedValue: l.p95, observedUnit: 'ms', details: { ...l } };
    }, { component: 'api', measurement: 'latency', componentType: 'component', critical: false });
  }
}

/** Rejects when the signal aborts (the check's timeout), so a probe that ignores it is recorded as failed. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
