import { accountOf } from './accounts';
import type { TelegramCollectors } from './collectors';
import { lazyTelegramCollectors } from './lazy-collectors';
import type { DcProbe } from './dc-probe';
import type { MonitoredClient, SessionHealth, TelegramSessionMonitor } from './session-monitor';

/**
 * The figures of `/health/telegram`, with the spec's fields. They describe; the status is judged
 * by the evaluator's Telegram rules, as the alerts are, and is unhealthy while a monitored
 * session is down (`telemetry.health.componentReport('telegram')`).
 */
export interface TelegramHealthReport {
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

/**
 * Builds the `/health/telegram` figures from the instrumentation's state, plus the attached
 * session monitors and DC probe. `report()` never throws. No status: the rules judge the same
 * metric stream (one judge, src/health/rule-judge.ts).
 */
export class TelegramHealth {
  private readonly monitors = new Set<TelegramSessionMonitor<MonitoredClient>>();
  private probe: DcProbe | undefined;

  /** `collectors`: the process-wide ones (loaded at the first report) unless given. */
  constructor(private readonly collectors?: TelegramCollectors) {}

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
    // A probe run refreshes the per-DC round trips read below (rate-capped).
    if (this.probe) await this.probe.measure();
    const c = this.collectors ?? lazyTelegramCollectors();
    const messageLatency = c.recentLatenciesMs();
    const dcLatency: Record<string, number> = {};
    for (const [dc, ms] of c.connection.dcLatencyMs) dcLatency[String(dc)] = ms;
    const floodWait = c.flood.lastHour();
    const sessions: SessionReport[] = [];
    for (const m of this.monitors) {
      const health = m.health();
      const s = m.stats;
      const account = accountOf(m.client);
      sessions.push({ id: m.sessionId, ...(account ? { account } : {}), health, checks: s.checks, recoveries: s.recoveries,
        failovers: s.failovers, lastAction: s.lastAction });
    }
    return {
      metrics: {
        messageLatency, dcLatency, floodWait, migrations: c.connection.migrationCount,
        updateAge: Math.round(c.updates.ageSeconds()), reconnects: c.connection.reconnectCount,
      },
      ...(sessions.length > 0 ? { session: sessions[0], sessions } : {}),
      timestamp: new Date().toISOString(),
    };
  }
}
