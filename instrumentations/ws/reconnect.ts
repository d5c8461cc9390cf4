import { type Tracer } from '@opentelemetry/api';
import { failSpan } from '../../src/apm/span-failure';
import { safeCallAsync } from '../../src/internal/safe-call';
import { sleep } from '../../src/internal/backoff';
import type { ReconnectCollector } from './metrics/reconnect-collector';
import { ATTR_WS_RECONNECT_ATTEMPT, SPAN_WS_RECONNECT, WS_COMPONENT } from './semconv';
import type { ReconnectOptions } from './types';
import { backoffDelay } from './utils';
import { defaultsAt } from '../../src/config/fast-parse';
import type { PulseguardConfig } from '../../src/config/types';

/** Thrown by {@link reconnectWithBackoff} when every attempt failed; `cause` is the last failure. */
export class ReconnectError extends Error {
  override readonly name = 'ReconnectError';
  constructor(message: string, readonly attempts: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The spec's defaults: 5 tries from 1 s doubling, capped, with jitter. */
const SCHEMA_BACKOFF = defaultsAt<PulseguardConfig['recovery']['backoff']>('config', ['recovery', 'backoff']);

/** Defaults of the reconnect procedure: `recovery.backoff` of the configuration schema (their one home). */
export const DEFAULT_RECONNECT = Object.freeze({ maxRetries: SCHEMA_BACKOFF.maxRetries, baseDelayMs: SCHEMA_BACKOFF.initialMs, maxDelayMs: SCHEMA_BACKOFF.maxMs, jitter: SCHEMA_BACKOFF.jitter });

/** @internal Injected in tests. */
export interface ReconnectDeps {
  sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random: () => number;
}

const DEFAULT_DEPS: ReconnectDeps = { sleep, random: Math.random };

/**
 * The spec's WebSocket recovery: close the old connection, clean up, reconnect with
 * exponential backoff (1 s, 2 s, 4 s... capped, ± jitter) over `maxRetries` tries, verify the
 * new connection and restore its subscriptions. Each attempt is a span and one count of
 * `websocket.reconnects{outcome}`; a failed verify or restore fails the attempt (the new
 * connection is closed) and the loop goes on. Rejects with {@link ReconnectError} when every
 * attempt failed, or with the signal's reason when aborted.
 */
export async function reconnectWithBackoff<S>(
  o: ReconnectOptions<S>,
  counter: ReconnectCollector,
  tracer: Tracer,
  deps: ReconnectDeps = DEFAULT_DEPS,
): Promise<S> {
  const maxRetries = o.maxRetries ?? DEFAULT_RECONNECT.maxRetries;
  const base = o.baseDelayMs ?? DEFAULT_RECONNECT.baseDelayMs;
  const cap = o.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs;
  const jitter = o.jitter ?? DEFAULT_RECONNECT.jitter;
  // 1-2. Close the old connection and release its resources; a failure there must not stop recovery.
  const previous = o.previous;
  if (previous) await safeCallAsync(WS_COMPONENT, () => previous.close(1000));
  if (o.cleanup) await safeCallAsync(WS_COMPONENT, o.cleanup);
  let lastError: unknown;
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    if (o.signal?.aborted) throw o.signal.reason;
    const span = tracer.startSpan(SPAN_WS_RECONNECT, { attributes: { [ATTR_WS_RECONNECT_ATTEMPT]: attempt + 1 } });
    let conn: S | undefined;
    try {
      // 3. Connect; 4. verify; 5. restore subscriptions.
      conn = await o.connect();
      if (o.verify && (await o.verify(conn)) === false) throw new Error('new connection failed verification');
      if (o.restore) await o.restore(conn);
      counter.success.add(1);
      span.end();
      return conn;
    } catch (err) {
      lastError = err;
      counter.failure.add(1);
      // Not span.recordException(): it copies the raw message, which may hold a secret.
      failSpan(span, err, undefined);
      span.end();
      const failed = conn as { close?: () => void } | undefined;
      if (failed && typeof failed.close === 'function') await safeCallAsync(WS_COMPONENT, () => failed.close?.());
    }
    if (attempt < maxRetries - 1) await deps.sleep(backoffDelay(attempt, base, cap, jitter, deps.random), o.signal);
  }
  throw new ReconnectError(`reconnect failed after ${maxRetries} attempts`, maxRetries, { cause: lastError });
}
