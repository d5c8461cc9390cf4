import { safeCall } from '../../src/internal/safe-call';
import type { ConnectionState, Keyed, WsServerInternals, WsSocketInternals } from './internal-types';
import { K_STATE } from './connection-state-key';
import { WS_COMPONENT } from './semconv';

const K_PINGER = Symbol.for('pulseguard.ws.pinger');
const K_TICK = Symbol.for('pulseguard.ws.pingerTick');

/**
 * The servers' liveness check: one ping loop per server (not per socket); each tick terminates
 * sockets that did not answer the previous ping and pings the rest. One unref()ed timer per
 * server, synchronous ticks (they never overlap). @internal
 */
export class WsLivenessPinger {
  private readonly servers = new Set<Keyed<WsServerInternals>>();

  /**
   * @param intervalMs the ping interval in effect (read when a server's loop starts; 0 disables)
   * @param onTimeout counts a socket terminated for not answering (before it is terminated)
   */
  constructor(private readonly intervalMs: () => number, private readonly onTimeout: (st: ConnectionState) => void) {}

  /** Starts the server's loop unless it runs or pings are off; it stops when the server closes. */
  ensure(server: Keyed<WsServerInternals>): void {
    const interval = this.intervalMs();
    if (interval <= 0 || server[K_PINGER] !== undefined) return;
    const timer = setInterval(() => safeCall(WS_COMPONENT, () => this.tick(server)), interval);
    timer.unref();
    server[K_PINGER] = timer;
    this.servers.add(server);
    server.once('close', () => {
      clearInterval(timer);
      server[K_PINGER] = undefined;
      this.servers.delete(server);
    });
  }

  /** Stops every loop (instrumentation disabled). */
  stop(): void {
    for (const s of this.servers) {
      clearInterval(s[K_PINGER] as NodeJS.Timeout);
      s[K_PINGER] = undefined;
    }
    this.servers.clear();
  }

  /** One tick of a server's loop. */
  tick(server: Keyed<WsServerInternals>): void {
    if (!server.clients) return;
    const tick = ((server[K_TICK] as number | undefined) ?? 0) + 1;
    server[K_TICK] = tick;
    for (const ws of server.clients as Set<Keyed<WsSocketInternals>>) {
      const st = ws[K_STATE] as ConnectionState | undefined;
      if (st === undefined || ws.readyState !== 1) continue;
      // Only a liveness ping from an earlier tick that is still unanswered terminates the socket.
      if (st.pingTick !== 0 && st.pingTick < tick && st.pingSentAt !== 0) {
        this.onTimeout(st);
        ws.terminate();
        continue;
      }
      if (st.pingSentAt !== 0) {
        // The app's own ping is outstanding: adopt it, so it gets a full interval to be answered.
        st.pingTick = tick;
        continue;
      }
      ws.ping();
      st.pingTick = tick;
    }
  }
}
