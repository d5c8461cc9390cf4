import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** An in-process PostgreSQL (PGlite, in a worker thread) that `pg` reaches over TCP, like any server. */
export interface EmbeddedPostgres {
  /** `postgres://` URL of the socket server (127.0.0.1, a free port). */
  readonly url: string;
  close(): Promise<void>;
}

/** The packages the embedded database needs, and how to add them. */
export const EMBEDDED_PACKAGES = ['@electric-sql/pglite', '@electric-sql/pglite-socket'] as const;
export const EMBEDDED_INSTALL_HINT = `npm install --no-save ${EMBEDDED_PACKAGES.join(' ')}`;

/** The worker's script; tests point it elsewhere to exercise the "not installed" path. */
export const WORKER_SCRIPT = join(__dirname, 'embedded-postgres-worker.js');

type WorkerMessage = { url: string } | { missing: true } | { error: string };

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) behind its socket server in a worker thread,
 * so the demo's `pg.Pool` talks the real wire protocol to it: the pg instrumentation, pool
 * metrics, slow queries and EXPLAIN all run as they would against a server. The packages are
 * loaded on use: they are development dependencies, so an installed pulseguard without them
 * resolves to `undefined` and the demo runs its other legs. Any other failure rejects.
 */
export function startEmbeddedPostgres(script: string = WORKER_SCRIPT): Promise<EmbeddedPostgres | undefined> {
  const worker = new Worker(script);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const early = (code: number): void => reject(new Error(`the embedded PostgreSQL worker exited with code ${code} before it was ready`));
    worker.once('error', reject);
    worker.once('exit', early);
    worker.once('message', (msg: WorkerMessage) => {
      worker.off('exit', early);
      if ('missing' in msg) {
        void worker.terminate().then(() => resolve(undefined));
      } else if ('error' in msg) {
        void worker.terminate().then(() => reject(new Error(`the embedded PostgreSQL did not start: ${msg.error}`)));
      } else {
        resolve({
          url: msg.url,
          async close() {
            worker.postMessage('stop');
            // A worker that does not finish closing in time is ended: the demo is shutting down.
            const timer = setTimeout(() => void worker.terminate(), 5000);
            await exited;
            clearTimeout(timer);
          },
        });
      }
    });
  });
}
