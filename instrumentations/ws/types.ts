import type { IncomingMessage } from 'node:http';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { RateLimitRegistry } from '../../src/limits/limiter-registry';

/** Returns the key of the user behind an upgrade request (per-user cap, activeUsers). Never exported. */
export type WsUserKeyFn = (req: IncomingMessage) => string | undefined;

/**
 * Returns the correlation id of a message, or undefined when it has none. Called for outbound
 * messages (`direction` "transmit", data as passed to `send`) and inbound ones ("receive", data as
 * ws delivers it). An inbound message whose id matches an earlier outbound one records a
 * request/ack round trip in `websocket.message.latency{websocket.latency.kind="round_trip"}`.
 */
export type WsCorrelationIdFn = (data: unknown, direction: 'receive' | 'transmit') => string | number | undefined;

/**
 * The spec's WebSocket limits, for an instrumentation used without start(): they become the
 * policies of its own limiter (`rateLimits.websocketConnections`, `websocket.newConnections`,
 * `websocket.messages`). Unset fields keep the configuration schema's defaults (below).
 */
export interface WsLimits {
  /** Open server connections per user key. @default 3 */
  perUser: number;
  /** Open server connections in total (refused with HTTP 503). @default 1000 */
  total: number;
  /** New connections per window (refused with HTTP 429). @default 100 */
  newConnections: number;
  /** Window of `newConnections`, ms. @default 60000 */
  newConnectionsWindowMs: number;
  /** Inbound messages per connection per window (then closed with 1008). @default 100 */
  messages: number;
  /** Window of `messages`, ms. @default 60000 */
  messagesWindowMs: number;
  /** Largest inbound message in bytes (then closed with 1009). @default 4096 */
  maxMessageBytes: number;
}

/** Configuration of the `ws` instrumentation. */
export interface WsInstrumentationConfig extends InstrumentationConfig {
  /** Server ping interval, reused as a liveness check (a socket that missed the last pong is terminated); 0 disables. @default 30000 */
  pingIntervalMs?: number;
  /** Per-message spans. @default false */
  messageSpans?: boolean;
  /** Fraction of messages traced when messageSpans is on. @default 0.01 */
  messageSpanSampleRatio?: number;
  /**
   * Server handler time is timed for one delivered message in this many per socket (the first,
   * then every Nth); the handler-time histogram counts timed messages, the message counters stay
   * exact. 1 times every message. @default 16
   */
  handlerTimingSampleEvery?: number;
  /**
   * Enforce the limits: refuse upgrades over the connection caps and rate, close sockets over
   * the message rate (1008) or size (1009). Off, the instrumentation only observes. @default false
   */
  guards?: boolean;
  /**
   * The rate limiter the guards decide through (`start()` passes `telemetry.limits`, so the
   * `rateLimits` section applies). @default a memory limiter built from `limits`
   */
  limiter?: RateLimitRegistry;
  /** Limits of the default limiter (ignored when `limiter` is set); unset fields take the schema's defaults. */
  limits?: Partial<WsLimits>;
  /** User key of an upgrade request; without it the per-user cap is off and activeUsers is 0. @default undefined */
  userKey?: WsUserKeyFn;
  /** Correlation id extractor for request/ack round trips. @default undefined */
  correlationId?: WsCorrelationIdFn;
  /** Sliding window the health figures (messageRate, errorRate, averageLatency, connectionStability) cover, ms. @default 60000 */
  healthWindowMs?: number;
}

/**
 * The spec's WebSocket health figures (they feed `/health/websocket`). They describe; they do not
 * decide: the status is judged by the evaluator's rules, as the alerts are
 * (`telemetry.health.componentReport('websocket')`).
 */
export interface WsHealthSnapshot {
  /** Open connections (server and client). */
  clientCount: number;
  /** Distinct users with an open server connection. */
  activeUsers: number;
  /** Messages per second (both directions) over the window. */
  messageRate: number;
  /** Errors per message over the window. */
  errorRate: number;
  /** Mean message latency over the window, ms. */
  averageLatency: number;
  /** 1 minus abnormal closes over connections seen in the window. */
  connectionStability: number;
  timestamp: string;
}

/** Options of {@link reconnectWithBackoff}. */
export interface ReconnectOptions<S> {
  /** Opens a new connection; resolves when it is usable. */
  connect: () => Promise<S>;
  /** The connection being replaced: closed first. */
  previous?: { close(code?: number): void; terminate?(): void } | undefined;
  /** Releases resources of the old connection (listeners, timers). */
  cleanup?: () => void | Promise<void>;
  /** Checks a new connection; a throw or `false` counts as a failed attempt. */
  verify?: (conn: S) => boolean | void | Promise<boolean | void>;
  /** Restores subscriptions on the new connection. */
  restore?: (conn: S) => void | Promise<void>;
  /** Attempts. @default 5 */
  maxRetries?: number;
  /** First delay, ms. @default 1000 */
  baseDelayMs?: number;
  /** Largest delay, ms. @default 30000 */
  maxDelayMs?: number;
  /** Jitter as a fraction of each delay (full ± range). @default 0.2 */
  jitter?: number;
  /** Aborts the loop between attempts. */
  signal?: AbortSignal;
}

/** The WebSocket API on `telemetry.websocket`. */
export interface WebSocketTelemetry {
  /** The spec's WebSocket health figures, now (the status: `telemetry.health.componentReport('websocket')`). */
  health(): WsHealthSnapshot;
  /** The spec's reconnect procedure (close, clean up, reconnect with backoff, verify, restore). */
  reconnectWithBackoff<S>(options: ReconnectOptions<S>): Promise<S>;
}
