import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionMonitor } from './connection-monitor';
import type { CheckStatus, HealthState, CheckResult, HealthCheck, RegisterOptions, HealthErrorCode } from './check-types';

export type { CheckStatus, HealthState, CheckResult, HealthCheck, RegisterOptions, HealthErrorCode };

/** One check's outcome as the registry reports it. */
export interface CheckOutcome {
  /** The registered name (unique). */
  name: string;
  component: string;
  measurement: string;
  componentType: string | undefined;
  critical: boolean;
  result: CheckResult;
  /** Set when the runner, not the check, decided the result. */
  errorCode: HealthErrorCode | undefined;
  /** ISO time the result was produced. */
  time: string;
  /** How long the check took, ms. */
  durationMs: number;
  /** True when this answer came from the cache. */
  cached: boolean;
}

/** The aggregate health of the service. */
export interface HealthReport {
  status: HealthState;
  /** ISO time of the report. */
  timestamp: string;
  checks: CheckOutcome[];
  /** service.version. */
  version: string;
}

/** The component endpoints the specification defines. */
export type ComponentName = 'websocket' | 'telegram' | 'rate-limits';

/** What decided a component's status: the rule, the field its value stands for, the value and the level crossed. */
export interface DecidedBy {
  /** The rule whose alert fired; null for a state no rule covers (rate-limit store fallback, Telegram session down). */
  rule: string | null;
  field: string;
  value: number;
  level: 'warning' | 'critical';
}

/** A component status as judged by the evaluator's rule states (src/health/rule-judge.ts). */
export interface Judgement {
  status: HealthState;
  /** The firing alert (or the state) that decided a non-healthy status; null when healthy or not judged. */
  decidedBy: DecidedBy | null;
  /** False when the evaluator is off (rules.enabled false): the status is healthy by default. */
  judged: boolean;
  /** Why the status is healthy by default, when not judged. */
  note?: string;
}

/**
 * What a component provider returns: the status plus the specification's fields for that
 * endpoint (websocket: metrics.{connections, messageRate, errorRate, averageLatency}; telegram:
 * metrics.{messageLatency, dcLatency, floodWait, migrations}; rate-limits: metrics.{telegram, api,
 * websocket} and throttled). Extra fields are passed through. The built-in providers of
 * /health/websocket, /health/telegram and /health/rate-limits add the judgement: `decidedBy`,
 * `judged` and, when not judged, `note`.
 */
export interface ComponentReport {
  status: HealthState | CheckStatus;
  metrics?: Record<string, unknown>;
  /** The built-in providers: what decided the status (null when healthy). */
  decidedBy?: DecidedBy | null;
  /** The built-in providers: false when no rule judges (rules.enabled false). */
  judged?: boolean;
  /** The built-in providers: why the status is healthy by default, when not judged. */
  note?: string;
  [field: string]: unknown;
}

/** Supplies one component's report; registered with {@link Health.setComponentReport}. */
export type ComponentReportProvider = () => ComponentReport | Promise<ComponentReport>;

/** A node:http style handler; `next` (express/connect) is called for paths it does not serve. */
export type HealthRequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** A hook run by the graceful shutdown after readiness flips; its promise is the work draining. */
export type ShutdownHook = () => void | Promise<void>;

/** `telemetry.health`: the check registry, the HTTP surface and the shutdown sequence. */
export interface Health {
  /** Registers a check; returns a function that removes it. Names are unique. */
  register(name: string, check: HealthCheck, options?: RegisterOptions): () => void;
  /** Sets (or with `undefined` removes) the provider behind /health/<component>. */
  setComponentReport(component: ComponentName, provider: ComponentReportProvider | undefined): void;
  /** Runs every check (timeouts, cache, single-flight) and aggregates. Never rejects. */
  check(): Promise<HealthReport>;
  /**
   * Runs one component provider, exactly as `GET /health/<component>` does (same cache and
   * timeout); `undefined` when none is registered. Never rejects. This is the programmatic status
   * of an area: for websocket, telegram and rate-limits it is judged by the evaluator's rules, as
   * the alerts are (`report.status`, `report.decidedBy`).
   */
  componentReport(component: ComponentName): Promise<ComponentOutcome | undefined>;
  /** node:http handler serving every endpoint; mount it anywhere. */
  readonly handler: HealthRequestHandler;
  /** The specification's ConnectionMonitor (websocket, telegram, database, API endpoints, latency). */
  readonly connections: ConnectionMonitor;
  /** URL of the standalone health server, when `health.port` is set. */
  readonly url: string | undefined;
  /** True once the shutdown began: /health and /readyz answer 503. */
  readonly shuttingDown: boolean;
  /** Flips readiness to 503 at once (idempotent). */
  beginShutdown(): void;
  /** Adds a hook the graceful shutdown runs after readiness flips; returns a remover. */
  onShutdown(hook: ShutdownHook): () => void;
  /**
   * The graceful sequence: readiness 503, shutdown hooks (WebSocket close 1001...), drain for up to
   * `shutdown.drainMs`, then `telemetry.shutdown()`. Idempotent; never rejects.
   */
  gracefulShutdown(): Promise<void>;
}

/** A component provider's outcome. */
export interface ComponentOutcome {
  report: ComponentReport;
  status: CheckStatus;
  errorCode: HealthErrorCode | undefined;
  time: string;
  durationMs: number;
}
