import type { PulseguardConfig } from '../../src/config/types';
import type { RateLimitRegistry } from '../../src/limits/limiter-registry';
import type { WsInstrumentationConfig } from './types';

/**
 * Maps pulseguard's configuration to the instrumentation's: the instrumentations.ws section,
 * the limiter the guards decide through (`telemetry.limits`: rateLimits.websocketConnections and
 * the 'websocket.messages' / 'websocket.newConnections' policies, a policy set to `false` lifts
 * that guard) and the health rules (thresholds.websocket). @internal
 */
export function wsConfigFromPulseguard(config: PulseguardConfig, limiter?: RateLimitRegistry): WsInstrumentationConfig {
  const ws = config.instrumentations.ws;
  const t = config.thresholds.websocket;
  return {
    enabled: ws.enabled,
    pingIntervalMs: ws.pingIntervalMs,
    messageSpans: ws.messageSpans,
    messageSpanSampleRatio: ws.messageSpanSampleRatio,
    guards: ws.guards,
    limiter,
    userKey: ws.userKey,
    correlationId: ws.correlationId,
    health: {
      errorRate: { warning: t.errorRate.warning, critical: t.errorRate.critical },
      stability: { degraded: t.stability.degraded, unhealthy: t.stability.unhealthy },
      windowMs: ws.healthWindowMs,
    },
  };
}
