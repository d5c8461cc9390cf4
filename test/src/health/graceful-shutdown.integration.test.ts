import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

const FIXTURE = join(__dirname, '../../../../test/fixtures/graceful-shutdown.mjs');
const DRAIN_MS = 600;

describe('graceful shutdown on SIGTERM (out of process)', function () {
  this.timeout(20_000);
  let child: ChildProcess | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('flips /readyz to 503 at once, closes WebSocket clients with 1001, drains, flushes telemetry, then dies by SIGTERM', async () => {
    const otlpPosts: Array<{ path: string; at: number }> = [];
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        otlpPosts.push({ path: req.url ?? '', at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const otlpUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, OTLP_URL: otlpUrl, DRAIN_MS: String(DRAIN_MS) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const events: Array<Record<string, unknown>> = [];
    const waitFor = (event: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = events.find((e) => e.event === event);
      if (found) return resolve(found);
      const onLine = (): void => {
        const e = events.find((x) => x.event === event);
        if (e) resolve(e);
      };
      lines.on('line', onLine);
      child?.once('exit', () => reject(new Error(`fixture exited before "${event}": ${stderr}`)));
    });
    lines.on('line', (l) => {
      try {
        events.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // pino lines or other output: ignored
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
      child?.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });

    const ready = await waitFor('ready');
    const healthUrl = String(ready.healthUrl);
    assert.equal((await fetch(`${healthUrl}/readyz`)).status, 200);
    const ws = new WebSocket(`ws://127.0.0.1:${Number(ready.wsPort)}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

    const killedAt = Date.now();
    child.kill('SIGTERM');
    await waitFor('hook');
    const ready503 = await fetch(`${healthUrl}/readyz`);
    assert.equal(ready503.status, 503, 'readiness flipped while draining');
    assert.equal(((await ready503.json()) as Record<string, unknown>).errorCode, 'SHUTTING_DOWN');
    assert.equal((await fetch(`${healthUrl}/livez`)).status, 200, 'liveness stays up while draining');
    assert.equal(await closed, 1001);

    const exit = await exited;
    assert.equal(exit.signal, 'SIGTERM', `re-raised the signal (code ${exit.code}) ${stderr}`);
    assert.ok(exit.at - killedAt >= DRAIN_MS, `exited ${exit.at - killedAt} ms after SIGTERM, drain is ${DRAIN_MS} ms`);
    const flushes = otlpPosts.filter((p) => p.path === '/v1/metrics' && p.at >= killedAt);
    assert.ok(flushes.length >= 1, `telemetry flushed to OTLP on shutdown: ${JSON.stringify(otlpPosts)}`);
  });
});
