import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP receiver (for Slack/webhook/Alertmanager-webhook tests) that fails on demand. */
export class HttpReceiver {
  readonly requests: Array<{ path: string; headers: IncomingMessage['headers']; body: unknown }> = [];
  /** Status to answer with; change it to simulate an outage. */
  status = 200;
  private server: Server | undefined;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        let body: unknown = data;
        try {
          body = JSON.parse(data);
        } catch {
          // keep raw text
        }
        if (this.status < 300) this.requests.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status < 300 ? 'ok' : 'unavailable');
        this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once `n` successful requests arrived (or rejects after `ms`). */
  waitFor(n: number, ms = 10_000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`receiver got ${this.requests.length} of ${n} requests in ${ms} ms`)), ms);
      this.waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
