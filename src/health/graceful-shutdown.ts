import type { Logger } from '../logging/logger';
import { reportInternalError } from '../internal/internal-errors';
import { HEALTH_COMPONENT } from './health-registry';
import type { ShutdownHook } from './types';

/** The WebSocket close code for "going away" (RFC 6455 §7.4.1). */
export const WS_CLOSE_GOING_AWAY = 1001 as const;

/** What {@link closeWebSocketServers} needs of a `ws` WebSocketServer (structural, so ws is not loaded). */
export interface ClosableWebSocketServer {
  clients: Set<ClosableWebSocket>;
  close(cb?: (err?: Error) => void): void;
}

/** What {@link closeWebSocketServers} needs of a `ws` WebSocket. */
export interface ClosableWebSocket {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

const WS_CLOSED = 3;

/**
 * Closes every client of the given servers with `code` (1001 "going away" by default), waits up
 * to `timeoutMs` for each closing handshake, terminates the stragglers, then closes the servers.
 * Use it from `telemetry.health.onShutdown`.
 */
export async function closeWebSocketServers(
  servers: readonly ClosableWebSocketServer[],
  code: number = WS_CLOSE_GOING_AWAY,
  options: { reason?: string; timeoutMs?: number } = {},
): Promise<void> {
  const reason = options.reason ?? 'server shutting down';
  const timeoutMs = options.timeoutMs ?? 5000;
  const closing: Promise<void>[] = [];
  for (const server of servers) {
    for (const ws of server.clients) {
      if (ws.readyState === WS_CLOSED) continue;
      closing.push(new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, timeoutMs);
        timer.unref();
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(code, reason);
      }));
    }
  }
  await Promise.all(closing);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
}

/** @internal */
export interface GracefulShutdownOptions {
  beginShutdown: () => void;
  hooks: () => readonly ShutdownHook[];
  drainMs: number;
  finalShutdown: () => Promise<void>;
  logger: Logger;
}

/**
 * The graceful sequence: readiness flips to 503 at once; the shutdown hooks run (closing
 * WebSocket clients with 1001, stopping consumers) while in-flight work drains for `drainMs`;
 * then telemetry shuts down (exporters flush). The full drain time is waited even when every hook
 * finished early, because load balancers and Kubernetes endpoints need that long to see the 503
 * and stop routing new requests here. Never rejects.
 * @internal
 */
export async function runGracefulShutdown(o: GracefulShutdownOptions): Promise<void> {
  o.beginShutdown();
  const started = Date.now();
  let settled = 0;
  const hooks = o.hooks().map(async (hook) => {
    try {
      await hook();
    } catch (err) {
      reportInternalError(HEALTH_COMPONENT, err);
    } finally {
      settled++;
    }
  });
  // Deliberately NOT unref()ed (the one exception to "pulseguard's timers are unref()ed"): during a shutdown the app may
  // already have closed everything else, and the process must still live to flush telemetry.
  await new Promise<void>((resolve) => setTimeout(resolve, o.drainMs));
  const drained = settled === hooks.length;
  o.logger.info({ drained, elapsedMs: Date.now() - started, hooks: hooks.length }, 'drain finished; shutting down telemetry');
  try {
    await o.finalShutdown();
  } catch (err) {
    o.logger.error({ err }, 'telemetry shutdown failed');
  }
}
