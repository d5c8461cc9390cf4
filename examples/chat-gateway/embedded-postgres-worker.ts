/**
 * The embedded PostgreSQL's thread: PGlite runs its queries synchronously (WebAssembly in the
 * calling thread), so a 250 ms query would stall the demo's event loop, its timers and the
 * evaluator with it. Here it stalls only this worker; the demo's pg.Pool reaches it over TCP.
 * Messages to the parent: { url } when listening, { missing: true } when the packages are not
 * installed, { error } on any other failure. A 'stop' message closes it.
 */
import { parentPort } from 'node:worker_threads';

/** The little of the two packages used here (structural: they are optional). */
interface PgliteDb { close(): Promise<void> }
interface SocketServer { start(): Promise<void>; stop(): Promise<void>; getServerConn(): string }
interface Packages {
  PGlite: { create(): Promise<PgliteDb> };
  PGLiteSocketServer: new (options: { db: PgliteDb; host: string; port: number; maxConnections: number }) => SocketServer;
}

/** Connections the socket server multiplexes onto the one PGlite session. */
const MAX_CONNECTIONS = 16;

async function load(): Promise<Packages | undefined> {
  try {
    const [lite, socket] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
    return { ...(lite as unknown as Pick<Packages, 'PGlite'>), ...(socket as unknown as Pick<Packages, 'PGLiteSocketServer'>) };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const packages = await load();
  if (!packages) {
    port.postMessage({ missing: true });
    return;
  }
  const db = await packages.PGlite.create();
  const server = new packages.PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
  await server.start();
  port.once('message', () => {
    void (async () => {
      await server.stop();
      await db.close();
      port.close();
    })();
  });
  // host:port once listening (the free port the OS picked).
  port.postMessage({ url: `postgres://postgres@${server.getServerConn()}/postgres` });
}

main().catch((err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }));
