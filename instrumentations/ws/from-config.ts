import type { PulseguardConfig } from '../../src/config/types';
import type { RateLimitRegistry } from '../../src/limits/limiter-registry';
import type { WsInstrumentationConfig } from './types';

/**
 * Maps pulseguard's configuration to the instrumentation's: the instrumentations.ws section,
 * the limiter the guards decide through (`telemetry.limits`: rateLimits.websocketConnections and
 * the 'websocket.messages' / 'websocket.newConnections' policies, a policy set to `false` lifts
 * that guard) and the window of the health figures. The health status is not the
 * instrumentation's: the evaluator's rules (thresholds.websocket) judge it. @internal
 */
export function wsConfigFromPulseguard(config: PulseguardConfig, limiter?: RateLimitRegistry): WsInstrumentationConfig {
  const ws = config.instrumentations.ws;
  return {
    enabled: ws.enabled,
    pingIntervalMs: ws.pingIntervalMs,
    messageSpans: ws.messageSpans,
    messageSpanSampleRatio: ws.messageSpanSampleRatio,
    handlerTimingSampleEvery: ws.handlerTimingSampleEvery,
    guards: ws.guards,
    limiter,
    userKey: ws.userKey,
    correlationId: ws.correlationId,
    healthWindowMs: ws.healthWindowMs,
  };
}
