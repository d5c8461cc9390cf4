import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, type WebSocketServer } from 'ws';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { backoffDelay, createWsInstrumentation, ReconnectError, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { reconnectWithBackoff } from '../../../instrumentations/ws/reconnect';
import { wsCollectors } from '../../../instrumentations/ws/metrics/collectors';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { collect, connect, delta, startServer, stopServer } from './helpers';

async function deadPort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('backoffDelay', () => {
  it('doubles from the base delay and caps at the maximum', () => {
    const mid = () => 0.5; // no jitter at the middle of the range
    assert.deepEqual([0, 1, 2, 3, 4].map((a) => backoffDelay(a, 1000, 30_000, 0.2, mid)), [1000, 2000, 4000, 8000, 16000]);
    assert.equal(backoffDelay(6, 1000, 30_000, 0.2, mid), 30_000);
  });

  it('spreads each delay by the jitter fraction, never beyond the cap', () => {
    assert.equal(backoffDelay(1, 1000, 30_000, 0.2, () => 0), 1800);
    assert.equal(backoffDelay(1, 1000, 30_000, 0.2, () => 0.999999), 2200);
    assert.equal(backoffDelay(9, 1000, 30_000, 0.2, () => 0.999999), 30_000);
  });
});

describe('reconnectWithBackoff', () => {
  let wss: WebSocketServer;
  let url: string;
  let inst: WsInstrumentation;
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');

  before(() => {
    inst = createWsInstrumentation({ pingIntervalMs: 0 });
  });
  after(() => inst.disable());
  beforeEach(async () => {
    exporter.reset();
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => ws.on('message', (d) => ws.send(d)));
  });
  afterEach(async () => stopServer(wss));

  it('closes and cleans up the old connection, retries with backoff, verifies and restores; counts and traces each attempt', async () => {
    const dead = `ws://127.0.0.1:${await deadPort()}`;
    const old = await connect(url);
    const steps: string[] = [];
    const delays: number[] = [];
    let attempt = 0;
    const counter = wsCollectors(pulseguardMetrics).reconnects;
    const before = await collect();
    const ws = await reconnectWithBackoff({
      previous: old,
      cleanup: () => { steps.push(`cleanup:${old.readyState}`); },
      connect: () => { attempt++; steps.push(`connect:${attempt}`); return connect(attempt < 3 ? dead : url); },
      verify: async (c) => { steps.push('verify'); return c.readyState === WebSocket.OPEN; },
      restore: (c) => { steps.push('restore'); c.send('subscribe:news'); },
    }, counter, tracer, { sleep: async (ms) => { delays.push(ms); }, random: () => 0.5 });
    assert.equal(ws.readyState, WebSocket.OPEN);
    assert.deepEqual(steps, [`cleanup:${WebSocket.CLOSING}`, 'connect:1', 'connect:2', 'connect:3', 'verify', 'restore']);
    assert.deepEqual(delays, [1000, 2000]);
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.reconnects', { outcome: 'failure' }), 2);
    assert.equal(delta(before, after, 'websocket.reconnects', { outcome: 'success' }), 1);
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(spans.map((s) => [s.name, s.attributes['websocket.reconnect.attempt'], s.status.code]), [
      ['websocket reconnect', 1, 2], ['websocket reconnect', 2, 2], ['websocket reconnect', 3, 0],
    ]);
    ws.close();
  });

  it('fails an attempt whose verification fails and closes that connection', async () => {
    const opened: WebSocket[] = [];
    let n = 0;
    const ws = await reconnectWithBackoff({
      connect: async () => { const c = await connect(url); opened.push(c); return c; },
      verify: () => ++n > 1,
    }, wsCollectors(pulseguardMetrics).reconnects, tracer, { sleep: async () => {}, random: Math.random });
    assert.equal(opened.length, 2);
    assert.notEqual(opened[0].readyState, WebSocket.OPEN);
    assert.equal(ws, opened[1]);
    ws.close();
  });

  it('gives up after maxRetries (5 by default) with a ReconnectError carrying the last failure', async () => {
    const dead = `ws://127.0.0.1:${await deadPort()}`;
    let tries = 0;
    const delays: number[] = [];
    await assert.rejects(
      reconnectWithBackoff({ connect: () => { tries++; return connect(dead); } }, wsCollectors(pulseguardMetrics).reconnects, tracer,
        { sleep: async (ms) => { delays.push(ms); }, random: () => 0.5 }),
      (err: unknown) => err instanceof ReconnectError && err.attempts === 5 && (err.cause as NodeJS.ErrnoException).code === 'ECONNREFUSED',
    );
    assert.equal(tries, 5);
    assert.deepEqual(delays, [1000, 2000, 4000, 8000]);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    const dead = `ws://127.0.0.1:${await deadPort()}`;
    const p = inst.reconnectWithBackoff({ connect: () => connect(dead), baseDelayMs: 60_000, signal: ac.signal });
    setImmediate(() => ac.abort(new Error('stopped')));
    await assert.rejects(p, /stopped/);
  });

  it('is available on the instrumentation with real timers (1 ms base delay)', async () => {
    const before = await collect();
    const dead = `ws://127.0.0.1:${await deadPort()}`;
    let n = 0;
    const ws = await inst.api().reconnectWithBackoff({ connect: () => connect(++n === 1 ? dead : url), baseDelayMs: 1 });
    assert.equal(ws.readyState, WebSocket.OPEN);
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.reconnects', { outcome: 'success' }), 1);
    assert.equal(delta(before, after, 'websocket.reconnects', { outcome: 'failure' }), 1);
    ws.close();
  });
});
