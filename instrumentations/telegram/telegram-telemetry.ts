import type { Logger } from '../../src/logging/logger';
import type { RateLimits } from '../../src/limits/types';
import type { DcProbe, DcProbeOptions, ProbeableClient } from './dc-probe';
import { TelegramInstrumentation } from './instrumentation';
import { setAccount } from './accounts';
import { lazyTelegramCollectors } from './lazy-collectors';
import type { TelegramSendGuard, SendGuardOptions } from './send-guard';
import { processLeaseStore, type SessionLeaseStore } from './session-lease';
import type { TelegramSessionMonitor } from './session-monitor';
import type { MonitoredClient, SessionMonitorOptions } from './session-monitor-types';
import { TelegramHealth, type TelegramHealthReport } from './telegram-health';

/** Settings from `instrumentations.telegram`, `thresholds.telegram.messageLatency` and `recovery.backoff`. */
export interface TelegramTelemetrySettings {
  spans: boolean;
  healthCheckIntervalMs: number;
  rotationIntervalMs: number;
  maxErrorsBeforeFailover: number;
  probeAllDcs: boolean;
  probeMinIntervalMs: number;
  /** Mean call latency (ms) above which a session monitor recovers its session (`thresholds.telegram.messageLatency.critical`). */
  maxAvgLatencyMs: number;
  backoff: { initialMs: number; maxRetries: number; maxMs: number; jitter: number };
  /** The rate limiter send guards decide through (`telemetry.limits`). */
  limits: RateLimits;
}

/** `telemetry.telegram`: the GramJS instrumentation, session monitoring and /health/telegram. */
export interface TelegramTelemetry {
  readonly instrumentation: TelegramInstrumentation;
  /** The `/health/telegram` figures (spec fields); the status is the rules': `telemetry.health.componentReport('telegram')`. */
  report(): Promise<TelegramHealthReport>;
  /**
   * Starts the spec's session monitor for a client (intervals, failover threshold and backoff
   * from the configuration unless given) and shows it in the health report.
   */
  monitorSession<C extends MonitoredClient>(options: SessionMonitorOptions<C>): TelegramSessionMonitor<C>;
  /**
   * Reports per-DC round trips (spec measureDCLatency) in the health report, rate-capped. For a
   * monitored client the probe follows the monitor to its standby after a failover.
   */
  probeDcs(client: ProbeableClient, options?: DcProbeOptions): DcProbe;
  /**
   * Names the account a client runs (`sales-bot`), for the `telegram.account` attribute on its
   * metrics and in the health report. Never a phone number or user id; at most 32 aliases
   * (more become `_other`). Returns the value used.
   */
  account(client: object, alias: string): string;
  /** @internal start(): session leases go to Redis when `rateLimits.store` is `redis`. */
  useLeaseStore(store: SessionLeaseStore): void;
  /**
   * A send guard that queues sends under the configured `rateLimits.policies['telegram.*']`
   * (the spec's limits by default), deciding through `telemetry.limits` and its store.
   */
  sendGuard(options?: SendGuardOptions): TelegramSendGuard;
  /** Every monitored session (for the built-in `telegram.reconnect` / `telegram.failover` recovery procedures). */
  sessions(): TelegramSessionMonitor<MonitoredClient>[];
  /** Stops monitors (called by telemetry.shutdown()). */
  close(): void;
}

/* eslint-disable @typescript-eslint/no-require-imports -- see below */
// Session monitors, DC probes and send guards are loaded when the app first asks for one: an app
// that only has its GramJS calls measured never loads them.
const loadMonitor = (): typeof import('./session-monitor') => require('./session-monitor');
const loadProbe = (): typeof import('./dc-probe') => require('./dc-probe');
const loadSendGuard = (): typeof import('./send-guard') => require('./send-guard');
/* eslint-enable @typescript-eslint/no-require-imports */

/** @internal Built by start() when `instrumentations.telegram.enabled`. */
export function createTelegramTelemetry(settings: Partial<TelegramTelemetrySettings> = {}, logger?: Logger): TelegramTelemetry {
  const instrumentation = new TelegramInstrumentation({ spans: settings.spans ?? true });
  const health = new TelegramHealth();
  const monitors = new Set<TelegramSessionMonitor<MonitoredClient>>();
  let leaseStore: SessionLeaseStore = processLeaseStore;
  return {
    instrumentation,
    report: () => health.report(),
    monitorSession<C extends MonitoredClient>(options: SessionMonitorOptions<C>) {
      const m: TelegramSessionMonitor<C> = new (loadMonitor().TelegramSessionMonitor)<C>({
        healthCheckIntervalMs: settings.healthCheckIntervalMs,
        rotationIntervalMs: settings.rotationIntervalMs,
        maxErrorsBeforeFailover: settings.maxErrorsBeforeFailover,
        maxAvgLatencyMs: settings.maxAvgLatencyMs,
        backoff: settings.backoff,
        logger: logger?.child({ component: 'telegram.session-monitor' }),
        leaseStore,
        ...options,
        // A client the app destroyed or replaced leaves the report (it is not a session that is down).
        onAbandoned: (client) => {
          monitors.delete(m as unknown as TelegramSessionMonitor<MonitoredClient>);
          health.detachMonitor(m);
          options.onAbandoned?.(client);
        },
      });
      monitors.add(m as unknown as TelegramSessionMonitor<MonitoredClient>);
      health.attachMonitor(m);
      return m.start();
    },
    probeDcs(client, options = {}) {
      const monitor = [...monitors].find((m) => (m.client as object) === client);
      const probe = new (loadProbe().DcProbe)(monitor ? () => monitor.client as unknown as ProbeableClient : client, { probeAllDcs: settings.probeAllDcs ?? false, minIntervalMs: settings.probeMinIntervalMs, ...options });
      health.attachProbe(probe);
      return probe;
    },
    sendGuard: (options) => new (loadSendGuard().TelegramSendGuard)({ limits: settings.limits, ...options }),
    account(client, alias) {
      const value = setAccount(client, alias);
      lazyTelegramCollectors().updates.watchAccount(value);
      return value;
    },
    useLeaseStore(store) {
      leaseStore = store;
    },
    sessions: () => [...monitors],
    close() {
      for (const m of monitors) m.stop();
      monitors.clear();
    },
  };
}
