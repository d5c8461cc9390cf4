import type { HotCounterFamily, HotHistogramFamily, HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import {
  ATTR_OUTCOME, ATTR_REASON, ATTR_WS_CLOSE_CODE, METRIC_WS_CONNECTIONS_ACTIVE, METRIC_WS_CONNECTIONS_CLOSED,
  METRIC_WS_CONNECTIONS_OPENED, METRIC_WS_CONNECTION_DURATION, METRIC_WS_USERS_ACTIVE, OUTCOME_VALUE_ACCEPTED,
  OUTCOME_VALUE_REJECTED, REASON_VALUE_NONE, WS_REJECT_REASONS,
} from '../semconv';
import { BaseCollector, DURATION_BOUNDARIES, KeyedSeries, WS_ROLES, type RoleHandles, type WsRole } from './base-collector';

/** Close codes that mean the transport or protocol failed (they lower connection stability). */
const ABNORMAL_CLOSE_CODES = new Set([1002, 1006, 1007, 1011, 1014, 1015]);

/**
 * Connection lifecycle: active, opened (accepted/rejected with reason), closed by code,
 * duration, and the distinct-users gauge. @internal
 */
export class ConnectionCollector extends BaseCollector {
  private readonly active: HotCounterFamily;
  private readonly opened: HotCounterFamily;
  private readonly closed: HotCounterFamily;
  private readonly duration: HotHistogramFamily;
  private readonly rejected: KeyedSeries<string, HotSum>;
  private readonly closedByCode: KeyedSeries<number, HotSum>;
  /** Cumulative abnormal closes and all closes, for health (plain numbers). */
  abnormalCloses = 0;
  closes = 0;

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.active = registry.upDownCounter({ name: METRIC_WS_CONNECTIONS_ACTIVE, description: 'Open WebSocket connections.', unit: '{connection}' });
    this.opened = registry.counter({ name: METRIC_WS_CONNECTIONS_OPENED, description: 'WebSocket connection attempts, accepted or rejected with the reason.', unit: '{connection}' });
    this.closed = registry.counter({ name: METRIC_WS_CONNECTIONS_CLOSED, description: 'Closed WebSocket connections by close code.', unit: '{connection}' });
    this.duration = registry.histogram({ name: METRIC_WS_CONNECTION_DURATION, description: 'Lifetime of WebSocket connections.', unit: 's' }, DURATION_BOUNDARIES);
    // Reported as 0 until an instrumentation is enabled and observes its own users.
    this.observeActiveUsers(() => 0);
    this.rejected = new KeyedSeries((role, reason) =>
      this.opened.series(BaseCollector.roleAttrs(role, { [ATTR_OUTCOME]: OUTCOME_VALUE_REJECTED, [ATTR_REASON]: reason })));
    this.closedByCode = new KeyedSeries((role, code) => this.closed.series(BaseCollector.roleAttrs(role, { [ATTR_WS_CLOSE_CODE]: code })));
    // Known series exist at 0 from the start, so rates and alerts see them before the first event.
    for (const role of WS_ROLES) for (const reason of WS_REJECT_REASONS) this.rejected.get(role, reason);
  }

  bind(h: Partial<RoleHandles> & { role: WsRole }): void {
    h.active = this.active.series(BaseCollector.roleAttrs(h.role));
    h.accepted = this.opened.series(BaseCollector.roleAttrs(h.role, { [ATTR_OUTCOME]: OUTCOME_VALUE_ACCEPTED, [ATTR_REASON]: REASON_VALUE_NONE }));
    h.duration = this.duration.series(BaseCollector.roleAttrs(h.role));
  }

  /**
   * Reads the distinct-user gauge from `count` at collect time. Each enabled instrumentation
   * calls it with its own guards; the registry keeps only the latest callback for the name.
   */
  observeActiveUsers(count: () => number): void {
    this.registry.observe({ name: METRIC_WS_USERS_ACTIVE, description: 'Distinct users with at least one open WebSocket connection (user ids are never exported).', unit: '{user}' },
      () => [{ value: count(), attributes: {} }]);
  }

  /** Counts a refused or failed connection attempt. */
  reject(role: WsRole, reason: string): void {
    this.rejected.get(role, reason).add(1);
  }

  /** Counts a close and records the lifetime. */
  close(h: RoleHandles, code: number, lifetimeSeconds: number): void {
    h.active.add(-1);
    h.duration.record(lifetimeSeconds);
    this.closedByCode.get(h.role, code).add(1);
    this.closes++;
    if (ABNORMAL_CLOSE_CODES.has(code)) this.abnormalCloses++;
  }

  /** Rejections of a role and reason so far. */
  rejectedCount(role: WsRole, reason: string): number {
    return this.rejected.get(role, reason).value;
  }
}
