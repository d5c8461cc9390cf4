import { thresholdsSchema } from '../../src/config/schema/thresholds';
import { accountOf } from './accounts';
import type { TelegramCollectors } from './collectors';
import { telegramCollectors } from './collectors';
import type { DcProbe } from './dc-probe';
import type { MonitoredClient, SessionHealth, TelegramSessionMonitor } from './session-monitor';

/** Spec thresholds (thresholds.telegram in the config). */
export interface TelegramHealthThresholds {
  messageLatency: { warning: number; critical: number };
  floodWait: { warning: number; critical: number };
  dcLatency: { warning: number; critical: number };
}

/** The body of `/health/telegram`, with the spec's fields. */
export interface TelegramHealthReport {
  /** healthy, degraded (a warning level crossed) or unhealthy (a critical level, or the session is down). */
  status: 'healthy' | 'degraded' | 'unhealthy';
  metrics: {
    /** Recent successful call latencies in ms, oldest first (up to 100). */
    messageLatency: number[];
    /** Last round trip per DC in ms, -1 when the DC did not answer. */
    dcLatency: Record<string, number>;
    /** Flood waits in the last hour. */
    floodWait: number;
    /** DC migrations since start. */
    migrations: number;
    /** Seconds since the last update. */
    updateAge: number;
    /** Reconnects since start. */
    reconnects: number;
  };
  /** The first monitored session's view (kept for existing readers; `sessions` lists all). */
  session?: SessionReport;
  /** Every monitored session, in the order they were attached. */
  sessions?: SessionReport[];
  timestamp: string;
}

/** One monitored session in the report. */
export interface SessionReport {
  id: string;
  /** The account alias the app gave the client, if any. */
  account?: string;
  health: SessionHealth;
  checks: number;
  recoveries: number;
  failovers: number;
  lastAction: string;
}

const SCHEMA_TELEGRAM = thresholdsSchema.parse({}).telegram;

/** The spec's thresholds as defaults: `thresholds.telegram` of the configuration schema (their one home). */
export const DEFAULT_TELEGRAM_HEALTH_THRESHOLDS: Readonly<TelegramHealthThresholds> = Object.freeze({
  messageLatency: SCHEMA_TELEGRAM.messageLatency,
  floodWait: SCHEMA_TELEGRAM.floodWait,
  dcLatency: SCHEMA_TELEGRAM.dcLatency,
});

function level(value: number, l: { warning: number; critical: number }): 0 | 1 | 2 {
  if (value >= l.critical) return 2;
  if (value >= l.warning) return 1;
  return 0;
}

/**
 * Builds `/health/telegram` answers from the instrumentation's state, plus an optional session
 * monitor and DC probe. `report()` never throws; the HTTP status is 200 only when healthy (spec).
 */
export class TelegramHealth {
  private readonly monitors = new Set<TelegramSessionMonitor<MonitoredClient>>();
  private probe: DcProbe | undefined;

  constructor(
    private readonly thresholds: TelegramHealthThresholds = DEFAULT_TELEGRAM_HEALTH_THRESHOLDS,
    private readonly collectors: TelegramCollectors = telegramCollectors(),
  ) {}

  /** Adds a session monitor to the report (every attached monitor is reported). */
  attachMonitor<C extends MonitoredClient>(monitor: TelegramSessionMonitor<C> | undefined): void {
    if (monitor) this.monitors.add(monitor as unknown as TelegramSessionMonitor<MonitoredClient>);
  }

  /** Removes a monitor from the report. */
  detachMonitor<C extends MonitoredClient>(monitor: TelegramSessionMonitor<C>): void {
    this.monitors.delete(monitor as unknown as TelegramSessionMonitor<MonitoredClient>);
  }

  /** Attaches a DC probe run (rate-capped) on each report. */
  attachProbe(probe: DcProbe | undefined): void {
    this.probe = probe;
  }

  async report(): Promise<TelegramHealthReport> {
    const probed = this.probe ? await this.probe.measure() : undefined;
    const c = this.collectors;
    const messageLatency = c.recentLatenciesMs();
    const dcLatency: Record<string, number> = {};
    for (const [dc, ms] of c.connection.dcLatencyMs) dcLatency[String(dc)] = ms;
    const floodWait = c.flood.lastHour();
    const avg = messageLatency.length > 0 ? messageLatency.reduce((a, b) => a + b, 0) / messageLatency.length : 0;
    // -1 from this report's own probe: the DC did not answer at all, worse than any round trip.
    // (-1 left in the process-wide map by another probe says nothing about this report's client.)
    const unreachable = probed !== undefined && Object.values(probed).some((ms) => ms < 0);
    const worstDc = unreachable ? Infinity : Math.max(0, ...Object.values(dcLatency));
    let worst = Math.max(level(avg, this.thresholds.messageLatency), level(floodWait, this.thresholds.floodWait), level(worstDc, this.thresholds.dcLatency));
    const sessions: SessionReport[] = [];
    for (const m of this.monitors) {
      const health = m.health();
      if (!health.healthy) worst = 2;
      const s = m.stats;
      const account = accountOf(m.client);
      sessions.push({ id: m.sessionId, ...(account ? { account } : {}), health, checks: s.checks, recoveries: s.recoveries,
        failovers: s.failovers, lastAction: s.lastAction });
    }
    return {
      status: worst === 2 ? 'unhealthy' : worst === 1 ? 'degraded' : 'healthy',
      metrics: {
        messageLatency, dcLatency, floodWait, migrations: c.connection.migrationCount,
        updateAge: Math.round(c.updates.ageSeconds()), reconnects: c.connection.reconnectCount,
      },
      ...(sessions.length > 0 ? { session: sessions[0], sessions } : {}),
      timestamp: new Date().toISOString(),
    };
  }

  /** HTTP status for a report: 200 when healthy, 503 otherwise (spec). */
  static httpStatus(report: TelegramHealthReport): number {
    return report.status === 'healthy' ? 200 : 503;
  }
}
