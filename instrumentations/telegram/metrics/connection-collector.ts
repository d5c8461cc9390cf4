import type { HotHistogramSeries, HotMetricRegistry, HotSum, ObservedValue } from '../../../src/metrics/hot-metrics';
import {
  ATTR_REASON, ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_DC, ATTR_TELEGRAM_DC_FROM, ATTR_TELEGRAM_DC_TO, ATTR_TELEGRAM_ERROR,
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_DC_MIGRATIONS, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_RECONNECTS,
  METRIC_TELEGRAM_SESSION_ERRORS, RECONNECT_REASON_VALUE_CONNECTION_LOST, RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT,
  RECONNECT_REASON_VALUE_RECOVERY, SESSION_ERROR_CODES,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds; spec levels are 1 s (warning) and 3 s (critical). */
export const DC_RTT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

/** What the collector reads from a GramJS MTProtoSender at collect time. @internal */
export interface SenderView {
  readonly dcId: number;
  isConnectedNow(): boolean;
  /** False once the app disconnected or destroyed the client: the DC then leaves the gauge. */
  isWanted(): boolean;
}

/**
 * Connection-level metrics: DC migrations, reconnects, per-DC round trip, connection state and
 * session errors. Also keeps the last round trip per DC for the health snapshot.
 *
 * @internal
 */
export class ConnectionCollector extends BaseCollector {
  private readonly migrations;
  private readonly reconnects;
  private readonly rtt;
  private readonly sessionErrors;
  private readonly migrationHandles = this.cache<HotSum>(64);
  private readonly reconnectHandles = this.cache<HotSum>(16);
  private readonly rttHandles = this.cache<HotHistogramSeries>(64);
  private readonly sessionHandles = this.cache<HotSum>(64);
  private readonly senders = new Set<WeakRef<SenderView>>();
  /** Last round trip per DC in ms, -1 when the last probe failed (the spec's dcLatency). */
  readonly dcLatencyMs = new Map<number, number>();
  migrationCount = 0;
  reconnectCount = 0;

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.migrations = registry.counter({ name: METRIC_TELEGRAM_DC_MIGRATIONS, unit: '{migration}',
      description: 'DC migrations, by origin, destination and reason.' });
    this.reconnects = registry.counter({ name: METRIC_TELEGRAM_RECONNECTS, unit: '{reconnect}',
      description: 'Reconnects of the MTProto sender, by reason.' });
    this.rtt = registry.histogram({ name: METRIC_TELEGRAM_DC_RTT, unit: 's',
      description: 'Round trip per DC, from keep-alive pings and probes.' }, DC_RTT_BUCKETS);
    this.sessionErrors = registry.counter({ name: METRIC_TELEGRAM_SESSION_ERRORS, unit: '{error}',
      description: 'Errors that mean the Telegram authorization is in trouble, by code.' });
    // Known series exist at 0, so rate() and increase() work before the first failure.
    for (const r of [RECONNECT_REASON_VALUE_CONNECTION_LOST, RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT, RECONNECT_REASON_VALUE_RECOVERY]) {
      this.reconnectHandles.get(r, () => this.reconnects.series({ [ATTR_REASON]: r }));
    }
    for (const code of SESSION_ERROR_CODES) this.sessionHandles.get(`${code}|`, () => this.sessionErrors.series({ [ATTR_TELEGRAM_ERROR]: code }));
    registry.observe({ name: METRIC_TELEGRAM_CONNECTION_STATE, unit: '1',
      description: 'Whether a connection to the DC is up (1) or not (0).' }, () => this.readStates());
  }

  /** Starts watching a sender's connection state (weakly: a dropped client is forgotten). */
  track(sender: SenderView): void {
    this.senders.add(new WeakRef(sender));
  }

  recordMigration(from: number, to: number, reason: string): void {
    this.migrationCount += 1;
    this.migrationHandles.get(`${from}|${to}|${reason}`, () => this.migrations.series({
      [ATTR_TELEGRAM_DC_FROM]: from, [ATTR_TELEGRAM_DC_TO]: to, [ATTR_REASON]: reason,
    })).add(1);
  }

  recordReconnect(reason: string): void {
    this.reconnectCount += 1;
    this.reconnectHandles.get(reason, () => this.reconnects.series({ [ATTR_REASON]: reason })).add(1);
  }

  recordRtt(dc: number, seconds: number): void {
    this.dcLatencyMs.set(dc, Math.round(seconds * 1000));
    this.rttHandles.get(String(dc), () => this.rtt.series({ [ATTR_TELEGRAM_DC]: dc })).record(seconds);
  }

  /** A probe that got no answer: the health snapshot shows -1, as the spec's measureDCLatency does. */
  recordUnreachable(dc: number, timeoutSeconds?: number): void {
    this.dcLatencyMs.set(dc, -1);
    if (timeoutSeconds !== undefined) this.rttHandles.get(String(dc), () => this.rtt.series({ [ATTR_TELEGRAM_DC]: dc })).record(timeoutSeconds);
  }

  recordSessionError(code: string, account?: string): void {
    this.sessionHandles.get(`${code}|${account ?? ''}`, () => this.sessionErrors.series(account === undefined
      ? { [ATTR_TELEGRAM_ERROR]: code } : { [ATTR_TELEGRAM_ERROR]: code, [ATTR_TELEGRAM_ACCOUNT]: account })).add(1);
  }

  /**
   * One point per DC some wanted connection uses: 1 when one of them is up, 0 when all are down
   * (reconnecting, or broken by -404). A DC nobody wants any more (the app disconnected or
   * destroyed its client, or a migration left it) is not reported, so it cannot read as down.
   */
  private readStates(): ObservedValue[] {
    const up = new Map<number, number>();
    for (const ref of this.senders) {
      const s = ref.deref();
      if (!s) {
        this.senders.delete(ref);
        continue;
      }
      if (typeof s.dcId !== 'number' || !s.isWanted()) continue;
      if (s.isConnectedNow()) up.set(s.dcId, 1);
      else if (!up.has(s.dcId)) up.set(s.dcId, 0);
    }
    return [...up].map(([dc, value]) => ({ value, attributes: { [ATTR_TELEGRAM_DC]: dc } }));
  }
}
