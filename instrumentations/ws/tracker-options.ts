import { defaultsAt } from '../../src/config/fast-parse';
import type { PulseguardConfig } from '../../src/config/types';
import type { RateLimitRegistry } from '../../src/limits/limiter-registry';
import { createStandaloneLimiter } from './standalone-limiter';
import type { WsInstrumentationConfig } from './types';

// The numbers come from the configuration schema, the one home of defaults.
const SCHEMA_WS = defaultsAt<PulseguardConfig['instrumentations']['ws']>('config', ['instrumentations', 'ws']);

/** Defaults merged in the constructor and in setConfig: `instrumentations.ws` of the schema. */
export const DEFAULT_WS_CONFIG: Readonly<WsInstrumentationConfig> = Object.freeze({
  enabled: SCHEMA_WS.enabled,
  pingIntervalMs: SCHEMA_WS.pingIntervalMs,
  messageSpans: SCHEMA_WS.messageSpans,
  messageSpanSampleRatio: SCHEMA_WS.messageSpanSampleRatio,
  handlerTimingSampleEvery: SCHEMA_WS.handlerTimingSampleEvery,
  guards: SCHEMA_WS.guards,
});

/**
 * The resolved options the connection tracker runs with: what its per-message path reads is
 * worked out here once per configuration, not on every message. @internal
 */
export interface TrackerOptions {
  config: WsInstrumentationConfig;
  /** The limiter the guards decide through (the configured one, or one built from `config.limits`). */
  limiter: RateLimitRegistry;
  /** Window of the health figures, ms. */
  healthWindowMs: number;
  /** Server handler time is timed for one delivered message in this many per socket (>= 1). */
  handlerTimingSampleEvery: number;
  /** Fraction of messages that get a span (0 when messageSpans is off). */
  messageSpanRatio: number;
  /** `config.correlationId` when it is a function (round trips are matched only then). */
  correlationId?: WsInstrumentationConfig['correlationId'];
  /** A send has work beyond counting (a correlation id or a sampled span): the send patch calls sentExtras. */
  sendExtras: boolean;
}

/** Resolves a configuration (constructor or setConfig) into {@link TrackerOptions}. @internal */
export function resolveTrackerOptions(config: WsInstrumentationConfig): TrackerOptions {
  const every = config.handlerTimingSampleEvery;
  const messageSpanRatio = config.messageSpans === true ? config.messageSpanSampleRatio ?? SCHEMA_WS.messageSpanSampleRatio : 0;
  const correlationId = typeof config.correlationId === 'function' ? config.correlationId : undefined;
  return {
    config,
    limiter: config.limiter ?? createStandaloneLimiter(config.limits ?? {}),
    healthWindowMs: config.healthWindowMs ?? SCHEMA_WS.healthWindowMs,
    // The schema rejects anything else under start(); used on its own, a bad value keeps the default.
    handlerTimingSampleEvery: Number.isInteger(every) && (every as number) >= 1 ? every as number : SCHEMA_WS.handlerTimingSampleEvery,
    messageSpanRatio,
    correlationId,
    sendExtras: messageSpanRatio > 0 || correlationId !== undefined,
  };
}
