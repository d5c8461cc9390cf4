import type { HotCounterFamily, HotHistogramFamily, HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import {
  ATTR_ERROR_TYPE, ATTR_NETWORK_IO_DIRECTION, ATTR_WS_LATENCY_KIND, ATTR_WS_MESSAGE_TYPE, DIRECTION_VALUE_RECEIVE,
  DIRECTION_VALUE_TRANSMIT, LATENCY_KIND_VALUE_HANDLER, LATENCY_KIND_VALUE_ROUND_TRIP, MESSAGE_TYPE_VALUE_BINARY,
  MESSAGE_TYPE_VALUE_TEXT, METRIC_WS_ERRORS, METRIC_WS_MESSAGES, METRIC_WS_MESSAGE_LATENCY, METRIC_WS_MESSAGE_SIZE,
  METRIC_WS_PING_RTT, WS_ERROR_TYPES,
} from '../semconv';
import { BaseCollector, KeyedSeries, LATENCY_BOUNDARIES, SIZE_BOUNDARIES, WS_ROLES, type RoleHandles, type WsRole } from './base-collector';

/**
 * Messages, sizes, latency, ping round trips and errors. Per-message updates go to handles
 * resolved in {@link bind}; nothing here hashes attributes per message. @internal
 */
export class MessageCollector extends BaseCollector {
  private readonly messages: HotCounterFamily;
  private readonly size: HotHistogramFamily;
  private readonly latency: HotHistogramFamily;
  private readonly rtt: HotHistogramFamily;
  private readonly errors: HotCounterFamily;
  private readonly errorsByType: KeyedSeries<string, HotSum>;
  private readonly bound: RoleHandles[] = [];
  /** Cumulative errors of every role and type, for health. */
  errorTotal = 0;

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.messages = registry.counter({ name: METRIC_WS_MESSAGES, description: 'WebSocket messages by direction and type.', unit: '{message}' });
    this.size = registry.histogram({ name: METRIC_WS_MESSAGE_SIZE, description: 'WebSocket message payload size.', unit: 'By' }, SIZE_BOUNDARIES);
    this.latency = registry.histogram({ name: METRIC_WS_MESSAGE_LATENCY, description: 'WebSocket message latency: server handler time, or request/ack round trip by correlation id.', unit: 's' }, LATENCY_BOUNDARIES);
    this.rtt = registry.histogram({ name: METRIC_WS_PING_RTT, description: 'WebSocket ping/pong round trip.', unit: 's' }, LATENCY_BOUNDARIES);
    this.errors = registry.counter({ name: METRIC_WS_ERRORS, description: 'WebSocket errors by type (a closed set of codes).', unit: '{error}' });
    this.errorsByType = new KeyedSeries((role, type) => this.errors.series(BaseCollector.roleAttrs(role, { [ATTR_ERROR_TYPE]: type })));
    for (const role of WS_ROLES) for (const type of WS_ERROR_TYPES) this.errorsByType.get(role, type);
  }

  bind(h: Partial<RoleHandles> & { role: WsRole }): void {
    const msg = (direction: string, type: string) =>
      this.messages.series(BaseCollector.roleAttrs(h.role, { [ATTR_NETWORK_IO_DIRECTION]: direction, [ATTR_WS_MESSAGE_TYPE]: type }));
    h.inText = msg(DIRECTION_VALUE_RECEIVE, MESSAGE_TYPE_VALUE_TEXT);
    h.inBinary = msg(DIRECTION_VALUE_RECEIVE, MESSAGE_TYPE_VALUE_BINARY);
    h.outText = msg(DIRECTION_VALUE_TRANSMIT, MESSAGE_TYPE_VALUE_TEXT);
    h.outBinary = msg(DIRECTION_VALUE_TRANSMIT, MESSAGE_TYPE_VALUE_BINARY);
    h.inSize = this.size.series(BaseCollector.roleAttrs(h.role, { [ATTR_NETWORK_IO_DIRECTION]: DIRECTION_VALUE_RECEIVE }));
    h.outSize = this.size.series(BaseCollector.roleAttrs(h.role, { [ATTR_NETWORK_IO_DIRECTION]: DIRECTION_VALUE_TRANSMIT }));
    h.handlerLatency = this.latency.series(BaseCollector.roleAttrs(h.role, { [ATTR_WS_LATENCY_KIND]: LATENCY_KIND_VALUE_HANDLER }));
    h.roundTrip = this.latency.series(BaseCollector.roleAttrs(h.role, { [ATTR_WS_LATENCY_KIND]: LATENCY_KIND_VALUE_ROUND_TRIP }));
    h.pingRtt = this.rtt.series(BaseCollector.roleAttrs(h.role));
    this.bound.push(h as RoleHandles);
  }

  /** Counts an error of a type from the closed set ({@link WS_ERROR_TYPES}). */
  error(role: WsRole, type: string): void {
    this.errorsByType.get(role, type).add(1);
    this.errorTotal++;
  }

  /** Errors of a role and type so far. */
  errorCount(role: WsRole, type: string): number {
    return this.errorsByType.get(role, type).value;
  }

  /** Cumulative totals over both roles, for health: messages, latency sum (s) and count. */
  totals(): { messages: number; latencySum: number; latencyCount: number } {
    let messages = 0;
    let latencySum = 0;
    let latencyCount = 0;
    for (const h of this.bound) {
      messages += h.inText.value + h.inBinary.value + h.outText.value + h.outBinary.value;
      latencySum += h.handlerLatency.sum + h.roundTrip.sum;
      latencyCount += h.handlerLatency.count + h.roundTrip.count;
    }
    return { messages, latencySum, latencyCount };
  }
}
