import type { Server } from 'node:http';

/**
 * Keeps one of pulseguard's own servers from holding the process open: the listening socket is
 * unref()ed, and so is every connection it accepts. Unref'ing only the server is not enough: a
 * scraper's keep-alive connection (Prometheus keeps one per target) is a handle of its own, so an
 * app that closed its own server and pool after SIGTERM would wait for the scraper to hang up.
 * @internal
 */
export function unrefServer(server: Server): void {
  server.unref();
  server.on('connection', (socket) => socket.unref());
}
