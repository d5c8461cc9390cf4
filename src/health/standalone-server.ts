import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unrefServer } from '../internal/unref-server';
import { markOwnServer } from '../internal/own-requests';
import type { HealthRequestHandler } from './types';

/** A running standalone health server. @internal */
export interface HealthServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the health handler on its own port (port 0 picks a free one). The server and the
 * connections it accepts are unref()ed: they never keep the process alive on their own.
 * @internal
 */
export function startHealthServer(handler: HealthRequestHandler, options: { port: number; host: string }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => handler(req, res));
  // Health probes are tiny; a stuck client must not hold a socket for the default 5 minutes.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A larger backlog than Node's 511, so a burst of probes (or a scrape storm) is queued by the
    // kernel instead of being refused.
    server.listen({ port: options.port, host: options.host, backlog: 2048 }, () => {
      server.off('error', reject);
      unrefServer(server);
      markOwnServer(server);
      const port = (server.address() as AddressInfo).port;
      const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
      const host = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
