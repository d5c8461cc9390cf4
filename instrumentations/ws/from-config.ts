import type { PulseguardConfig } from '../../src/config/types';
import { resolvePolicies } from '../../src/limits/policies';
import type { WsInstrumentationConfig } from './types';

/**
 * Maps pulseguard's configuration to the instrumentation's: the instrumentations.ws section,
 * the limits (rateLimits.websocketConnections and thresholds.pools.websocket, the lower of
 * each pair; rateLimits.policies 'websocket.messages' and 'websocket.newConnections', a policy
 * set to `false` lifts that guard) and the health rules (thresholds.websocket). @internal
 */
export function wsConfigFromPulseguard(config: PulseguardConfig): WsInstrumentationConfig {
  const ws = config.instrumentations.ws;
  const pools = config.thresholds.pools.websocket;
  const conns = config.rateLimits.websocketConnections;
  // The rate-limit module's merge: configured replaces the spec's default, `false` removes it.
  const policies = resolvePolicies(config.rateLimits);
  const messages = policies.get('websocket.messages');
  const newConns = policies.get('websocket.newConnections');
  const t = config.thresholds.websocket;
  return {
    enabled: ws.enabled,
    pingIntervalMs: ws.pingIntervalMs,
    messageSpans: ws.messageSpans,
    messageSpanSampleRatio: ws.messageSpanSampleRatio,
    guards: ws.guards,
    userKey: ws.userKey,
    correlationId: ws.correlationId,
    limits: {
      perUser: Math.min(conns.perUser, pools.maxConnectionsPerUser),
      total: Math.min(conns.total, pools.maxTotalConnections),
      newConnections: Math.min(newConns?.points ?? Infinity, pools.maxConnectionRate),
      newConnectionsWindowMs: newConns?.durationMs ?? 60_000,
      messages: messages?.points ?? Infinity,
      messagesWindowMs: messages?.durationMs ?? 60_000,
      maxMessageBytes: messages?.maxSizeBytes ?? Infinity,
    },
    health: {
      errorRate: { warning: t.errorRate.warning, critical: t.errorRate.critical },
      stability: { degraded: t.stability.degraded, unhealthy: t.stability.unhealthy },
      windowMs: ws.healthWindowMs,
    },
  };
}
