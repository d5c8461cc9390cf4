import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port. The upstream Prometheus exporter turns port 0 into 9464
 * (it picks its port with `||`), so pulseguard resolves 0 to a real free port first.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
