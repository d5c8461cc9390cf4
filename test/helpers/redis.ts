import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { findFreePort } from '../../src/sdk/free-port';

const START_SHARED =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

/** A unique key prefix per test run (other engineers use the same Redis at the same time). */
export function uniquePrefix(area: string): string {
  return `pulseguard-test:${area}:${randomUUID()}`;
}

/** Connects to the shared Redis on 127.0.0.1:6379 or fails saying how to start it. */
export async function requireSharedRedis(): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`Redis is not reachable on 127.0.0.1:6379 (${(err as Error).message}). Start it with: ${START_SHARED}`);
  }
  return client;
}

/** A throwaway redis-server on a free port, which a test may stop and restart. */
export class ThrowawayRedis {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      throw new Error(`redis-server is not installed (${probe.error.message}). Install it (apt-get install -y redis-server) and start the shared one with: ${START_SHARED}`);
    }
    const r = new ThrowawayRedis(await findFreePort());
    await r.restart();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** True while the server process runs. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Starts (again) on the same port and waits until it answers. */
  async restart(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // Never leave a server behind, even when a test fails before stop() (mocha exits hard).
    const reap = (): void => void child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 5000;
    while (!/Ready to accept connections/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, like a hung Redis. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT); it answers what piled up meanwhile. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server at once (no shutdown handshake), like a crashed or unreachable Redis. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
