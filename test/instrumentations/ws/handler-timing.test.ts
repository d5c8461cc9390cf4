import { strict as assert } from 'node:assert';
import type { WebSocket, WebSocketServer } from 'ws';
import { validateConfig, resolveConfig } from '../../../src/config/index';
import { wsConfigFromPulseguard } from '../../../instrumentations/ws/from-config';
import { createWsInstrumentation, type WsInstrumentation, type WsInstrumentationConfig } from '../../../instrumentations/ws/index';
import { collect, connect, closed, delta, serverDrained, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const SERVER = { 'ws.role': 'server' };
const HANDLER = { ...SERVER, 'websocket.latency.kind': 'handler' };
const RECEIVED_TEXT = { ...SERVER, 'network.io.direction': 'receive', 'websocket.message.type': 'text' };

/** Sends `n` messages on `ws` and waits for their echoes. */
async function echo(ws: WebSocket, n: number): Promise<void> {
  let got = 0;
  const onMessage = (): void => { got++; };
  ws.on('message', onMessage);
  for (let i = 0; i < n; i++) ws.send(`m${i}`);
  await until(() => got === n, `${n} echoes`);
  ws.off('message', onMessage);
}

describe('WsInstrumentation handler timing (handlerTimingSampleEvery)', () => {
  let inst: WsInstrumentation | undefined;
  let wss: WebSocketServer;
  let url: string;

  async function setup(config: WsInstrumentationConfig): Promise<void> {
    inst = createWsInstrumentation({ pingIntervalMs: 0, ...config });
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  }
  afterEach(async () => {
    await stopServer(wss);
    inst?.disable();
  });

  it('times the first delivered message of each socket and then one in N, while the message counters stay exact', async () => {
    await setup({ handlerTimingSampleEvery: 4 });
    const before = await collect();
    const a = await connect(url);
    const b = await connect(url);
    await echo(a, 10); // timed: 1st, 5th, 9th
    await echo(b, 4); // timed: 1st
    await echo(a, 3); // 11th-13th: the 13th
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.message.latency', HANDLER), 3 + 1 + 1);
    assert.equal(delta(before, after, 'websocket.messages', RECEIVED_TEXT), 17);
    assert.ok(after.sum('websocket.message.latency', HANDLER) > before.sum('websocket.message.latency', HANDLER));
    a.close();
    b.close();
    await Promise.all([closed(a), closed(b)]);
  });

  it('times every message with N = 1, and applies a new N given through setConfig', async () => {
    await setup({ handlerTimingSampleEvery: 1 });
    const before = await collect();
    const ws = await connect(url);
    await echo(ws, 7);
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.message.latency', HANDLER), 7);
    // The socket's countdown was at 1: the next message is timed, then one in 8.
    inst?.setConfig({ pingIntervalMs: 0, handlerTimingSampleEvery: 8 });
    await echo(ws, 9);
    const after = await collect();
    assert.equal(delta(mid, after, 'websocket.message.latency', HANDLER), 2);
    ws.close();
    await closed(ws);
  });

  it('defaults to 16 and keeps the default when given a value the schema would reject', async () => {
    await setup({ handlerTimingSampleEvery: 0 });
    const before = await collect();
    const ws = await connect(url);
    await echo(ws, 33); // timed: 1st, 17th, 33rd
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.message.latency', HANDLER), 3);
    ws.close();
    await closed(ws);
  });

  it('keeps the guard window on its own clock: a socket that paused past the window is not refused', async () => {
    await setup({ guards: true, limits: { messages: 3, messagesWindowMs: 300 } });
    const ws = await connect(url);
    await echo(ws, 3);
    await new Promise((r) => setTimeout(r, 400));
    await echo(ws, 3);
    assert.equal(ws.readyState, ws.OPEN, 'the second burst falls in a new window');
    ws.close();
    await closed(ws);
    await serverDrained(wss);
  });
});

describe('config: instrumentations.ws.handlerTimingSampleEvery', () => {
  const problems = (v: unknown): string => {
    const r = validateConfig({ service: { name: 's' }, instrumentations: { ws: { handlerTimingSampleEvery: v } } });
    assert.equal(r.ok, false, `expected ${String(v)} to be rejected`);
    return r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  };

  it('defaults to 16 and reaches the instrumentation through wsConfigFromPulseguard', () => {
    assert.equal(resolveConfig({ service: { name: 's' } }).instrumentations.ws.handlerTimingSampleEvery, 16);
    const c = resolveConfig({ service: { name: 's' }, instrumentations: { ws: { handlerTimingSampleEvery: 1 } } });
    assert.equal(wsConfigFromPulseguard(c).handlerTimingSampleEvery, 1);
  });

  it('rejects 0, negative and fractional values with a message naming the option', () => {
    assert.match(problems(0), /instrumentations\.ws\.handlerTimingSampleEvery: handlerTimingSampleEvery must be at least 1/);
    assert.match(problems(-4), /instrumentations\.ws\.handlerTimingSampleEvery: handlerTimingSampleEvery must be at least 1/);
    assert.match(problems(2.5), /instrumentations\.ws\.handlerTimingSampleEvery: expected int/);
    assert.match(problems('8'), /instrumentations\.ws\.handlerTimingSampleEvery:/);
  });
});
