import type { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { ROLE_VALUE_CLIENT, ROLE_VALUE_SERVER } from '../semconv';
import type { RoleHandles, WsRole } from './base-collector';
import { ConnectionCollector } from './connection-collector';
import { MessageCollector } from './message-collector';
import { ReconnectCollector } from './reconnect-collector';

/** The ws collectors and the per-role handle tables. @internal */
export interface WsCollectors {
  connections: ConnectionCollector;
  messages: MessageCollector;
  reconnects: ReconnectCollector;
  /** [server, client]. */
  handles: [RoleHandles, RoleHandles];
}

const byRegistry = new WeakMap<HotMetricRegistry, WsCollectors>();

/**
 * One set of collectors per registry: instrumentations may be created and re-enabled several
 * times in a process, and they share the series handles and the plain totals health reads. @internal
 */
export function wsCollectors(registry: HotMetricRegistry): WsCollectors {
  let c = byRegistry.get(registry);
  if (c) return c;
  const connections = new ConnectionCollector(registry);
  const messages = new MessageCollector(registry);
  const bindRole = (role: WsRole): RoleHandles => {
    const h = { role, isServer: role === ROLE_VALUE_SERVER };
    connections.bind(h);
    messages.bind(h);
    return h as RoleHandles;
  };
  c = { connections, messages, reconnects: new ReconnectCollector(registry), handles: [bindRole(ROLE_VALUE_SERVER), bindRole(ROLE_VALUE_CLIENT)] };
  byRegistry.set(registry, c);
  return c;
}
