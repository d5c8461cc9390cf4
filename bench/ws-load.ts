/**
 * Load generator for bench/ws.bench.ts, run in a child process so the server process is
 * measured alone (its own event loop, heap and file descriptors). Messages over IPC:
 * `{ kind: 'echo', url, clients, size, durationMs, warmupMs }` answers `{ messages, p50, p99 }`;
 * `{ kind: 'idle', url, clients }` opens idle connections and answers `{ opened }`, then
 * `{ kind: 'close' }` closes them.
 */
import { WebSocket } from 'ws';

interface EchoJob { kind: 'echo'; url: string; clients: number; size: number; durationMs: number; warmupMs: number }
interface IdleJob { kind: 'idle'; url: string; clients: number }
type Job = EchoJob | IdleJob | { kind: 'close' } | { kind: 'exit' };

const idle: WebSocket[] = [];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function echo(job: EchoJob): Promise<{ messages: number; p50: number; p99: number }> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < job.clients; i++) sockets.push(await open(job.url));
  const payload = Buffer.alloc(job.size, 0x61).toString();
  let measuring = false;
  let stopped = false;
  let messages = 0;
  let lat = new Float64Array(1 << 20);
  let n = 0;
  // Closed loop: each client sends, waits for its echo, sends again.
  for (const ws of sockets) {
    let sentAt = 0;
    ws.on('message', () => {
      if (measuring) {
        messages++;
        if (n === lat.length) { const next = new Float64Array(lat.length * 2); next.set(lat); lat = next; }
        lat[n++] = performance.now() - sentAt;
      }
      if (stopped) return;
      sentAt = performance.now();
      ws.send(payload);
    });
    sentAt = performance.now();
    ws.send(payload);
  }
  await new Promise((r) => setTimeout(r, job.warmupMs));
  measuring = true;
  await new Promise((r) => setTimeout(r, job.durationMs));
  measuring = false;
  stopped = true;
  for (const ws of sockets) ws.terminate();
  const sorted = lat.subarray(0, n).sort();
  return { messages: messages / (job.durationMs / 1000), p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

process.on('message', (job: Job) => {
  void (async () => {
    if (job.kind === 'echo') process.send?.(await echo(job));
    else if (job.kind === 'idle') {
      // Batches of 100 in parallel: 10,000 one by one takes minutes on a loaded machine.
      for (let i = 0; i < job.clients; i += 100) {
        const batch: Array<Promise<WebSocket>> = [];
        for (let j = i; j < Math.min(job.clients, i + 100); j++) batch.push(open(job.url));
        idle.push(...(await Promise.all(batch)));
      }
      process.send?.({ opened: idle.length });
    } else if (job.kind === 'close') {
      for (const ws of idle.splice(0)) ws.terminate();
      process.send?.({ closed: true });
    } else process.exit(0);
  })().catch((err: unknown) => {
    process.send?.({ error: String(err) });
  });
});
