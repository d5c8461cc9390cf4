import { reportInternalError } from '../internal/internal-errors';
import { CheckRunner, type RunOutcome } from './check-runner';
import { ConnectionMonitor, type ConnectionThresholds } from './connection-monitor';
import { aggregateState, isStatusWord, toCheckStatus } from './health-json';
import type {
  CheckOutcome, CheckResult, ComponentName, ComponentOutcome, ComponentReport, ComponentReportProvider, HealthCheck,
  HealthReport, RegisterOptions,
} from './types';

/** @internal The internal-errors component for contained faults of health checks. */
export const HEALTH_COMPONENT = 'health' as const;

/** @internal */
export interface HealthRegistryOptions {
  version: string;
  checkTimeoutMs: number;
  cacheTtlMs: number;
  connectionThresholds: ConnectionThresholds;
  now?: () => number;
}

interface Entry {
  name: string;
  component: string;
  measurement: string;
  componentType: string | undefined;
  critical: boolean;
  runner: CheckRunner<CheckResult>;
}

/**
 * The check registry: named checks, each behind its own {@link CheckRunner}, plus the component
 * report providers behind /health/websocket, /health/telegram and /health/rate-limits.
 *
 * @internal Users reach it as `telemetry.health`.
 */
export class HealthRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly providers = new Map<ComponentName, CheckRunner<ComponentReport>>();
  /** The specification's ConnectionMonitor, wired to this registry. */
  readonly connections: ConnectionMonitor;

  constructor(private readonly options: HealthRegistryOptions) {
    this.connections = new ConnectionMonitor(options.connectionThresholds, {
      register: (name, check, opts) => this.register(name, check, opts),
      run: (name) => this.entries.get(name)?.runner.run() ?? Promise.resolve(undefined),
    });
  }

  /** Registers a check; throws on a duplicate name (a programming error, found at startup). */
  register(name: string, check: HealthCheck, options: RegisterOptions = {}): () => void {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('health check name must be a non-empty string');
    if (typeof check !== 'function') throw new TypeError(`health check "${name}" must be a function`);
    if (this.entries.has(name)) throw new Error(`health check "${name}" is already registered`);
    const colon = name.indexOf(':');
    const entry: Entry = {
      name,
      component: options.component ?? (colon > 0 ? name.slice(0, colon) : name),
      measurement: options.measurement ?? (colon > 0 ? name.slice(colon + 1) : 'status'),
      componentType: options.componentType,
      critical: options.critical ?? true,
      runner: new CheckRunner(check, {
        timeoutMs: options.timeoutMs ?? this.options.checkTimeoutMs,
        cacheTtlMs: options.cacheTtlMs ?? this.options.cacheTtlMs,
        now: this.options.now,
      }),
    };
    this.entries.set(name, entry);
    return () => {
      if (this.entries.get(name) === entry) this.entries.delete(name);
    };
  }

  /** Names of the registered checks, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Runs every check and aggregates; never rejects. */
  async check(): Promise<HealthReport> {
    const checks = await Promise.all([...this.entries.values()].map((e) => this.runEntry(e)));
    return { status: aggregateState(checks), timestamp: new Date().toISOString(), checks, version: this.options.version };
  }

  /** Sets or removes a component provider. */
  setComponentReport(component: ComponentName, provider: ComponentReportProvider | undefined): void {
    if (provider === undefined) {
      this.providers.delete(component);
      return;
    }
    if (typeof provider !== 'function') throw new TypeError(`component report provider for "${component}" must be a function`);
    this.providers.set(component, new CheckRunner(() => provider(), {
      timeoutMs: this.options.checkTimeoutMs, cacheTtlMs: this.options.cacheTtlMs, now: this.options.now,
    }));
  }

  /** Runs a component provider; undefined when none is registered. Never rejects. */
  async componentReport(component: ComponentName): Promise<ComponentOutcome | undefined> {
    const runner = this.providers.get(component);
    if (!runner) return undefined;
    const o = await runner.run();
    const report = o.value;
    if (o.errorCode !== undefined) {
      return { report: { status: 'fail', output: o.error }, status: 'fail', errorCode: o.errorCode, time: o.time, durationMs: o.durationMs };
    }
    if (!report || typeof report !== 'object' || !isStatusWord(report.status)) {
      reportInternalError(HEALTH_COMPONENT, new TypeError(`component report "${component}" has no valid status`));
      return { report: { status: 'fail', output: 'provider returned no valid status' }, status: 'fail', errorCode: 'CHECK_INVALID_RESULT', time: o.time, durationMs: o.durationMs };
    }
    return { report, status: toCheckStatus(report.status), errorCode: undefined, time: o.time, durationMs: o.durationMs };
  }

  /** Components that have a provider. */
  componentNames(): ComponentName[] {
    return [...this.providers.keys()];
  }

  private async runEntry(e: Entry): Promise<CheckOutcome> {
    const o: RunOutcome<CheckResult> = await e.runner.run();
    const base = {
      name: e.name, component: e.component, measurement: e.measurement, componentType: e.componentType, critical: e.critical,
      time: o.time, durationMs: o.durationMs, cached: o.cached,
    };
    if (o.errorCode !== undefined) return { ...base, result: { status: 'fail', output: o.error }, errorCode: o.errorCode };
    const r = o.value;
    if (!r || typeof r !== 'object' || (r.status !== 'pass' && r.status !== 'warn' && r.status !== 'fail')) {
      // A check that returns garbage is a bug in the check: count it, report fail, keep serving.
      if (!o.cached) reportInternalError(HEALTH_COMPONENT, new TypeError(`health check "${e.name}" returned no valid status`));
      return { ...base, result: { status: 'fail', output: 'check returned no valid status (pass, warn or fail)' }, errorCode: 'CHECK_INVALID_RESULT' };
    }
    return { ...base, result: r, errorCode: undefined };
  }
}
