import type { HotCounterFamily, HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import { ATTR_OUTCOME, METRIC_WS_RECONNECTS, OUTCOME_VALUE_FAILURE, OUTCOME_VALUE_SUCCESS } from '../semconv';
import { BaseCollector, type RoleHandles, type WsRole } from './base-collector';

/** `websocket.reconnects{outcome}`: one count per reconnect attempt. @internal */
export class ReconnectCollector extends BaseCollector {
  private readonly family: HotCounterFamily;
  readonly success: HotSum;
  readonly failure: HotSum;

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.family = registry.counter({ name: METRIC_WS_RECONNECTS, description: 'WebSocket reconnect attempts by outcome.', unit: '{attempt}' });
    this.success = this.family.series({ [ATTR_OUTCOME]: OUTCOME_VALUE_SUCCESS });
    this.failure = this.family.series({ [ATTR_OUTCOME]: OUTCOME_VALUE_FAILURE });
  }

  bind(_h: Partial<RoleHandles> & { role: WsRole }): void {
    // Reconnects are not per role.
  }
}
