import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import type { WebSocketServer, WebSocket } from 'ws';
import { createWsInstrumentation, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { collect, connect, closed, delta, startServer, stopServer, type Snapshot } from './helpers';
import { until } from '../../helpers/poll';
import { closeCodeIn, frame, hasPing, rawHandshake } from './raw-socket';

const SERVER = { 'ws.role': 'server' };

async function echoOnce(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (d) => resolve(String(d)));
    ws.send(text);
  });
}

async function collectUntil(cond: (s: Snapshot) => boolean, what: string): Promise<Snapshot> {
  const end = Date.now() + 5000;
  for (;;) {
    const s = await collect();
    if (cond(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('WsInstrumentation robustness (real sockets)', () => {
  let inst: WsInstrumentation;
  let wss: WebSocketServer;
  let url: string;
  let port: number;
  let bystander: WebSocket;

  async function setup(pingIntervalMs = 0): Promise<void> {
    inst = createWsInstrumentation({ pingIntervalMs, limits: { messages: 1_000_000 } });
    ({ wss, url, port } = await startServer());
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
    bystander = await connect(url);
  }
  afterEach(async () => {
    // The process and the other clients survived: the bystander still gets its echo.
    assert.equal(await echoOnce(bystander, 'alive'), 'alive');
    bystander.close();
    sinon.restore();
    await stopServer(wss);
    inst.disable();
  });

  it('counts a frame with an invalid opcode as WS_ERR_INVALID_OPCODE; the server closes it with 1002', async () => {
    await setup();
    const before = await collect();
    const raw = await rawHandshake(port);
    raw.socket.write(frame(0x3, Buffer.from('bad')));
    await until(() => closeCodeIn(raw.received()) !== undefined, 'a close frame');
    assert.equal(closeCodeIn(raw.received()), 1002);
    raw.socket.end();
    await until(() => wss.clients.size === 1, 'the raw socket to close');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'WS_ERR_INVALID_OPCODE' }), 1);
    assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1006 }), 1);
  });

  it('counts an unmasked client frame as WS_ERR_EXPECTED_MASK', async () => {
    await setup();
    const before = await collect();
    const raw = await rawHandshake(port);
    raw.socket.write(frame(0x1, Buffer.from('x'), { mask: false }));
    await until(() => closeCodeIn(raw.received()) !== undefined, 'a close frame');
    raw.socket.destroy();
    await until(() => wss.clients.size === 1, 'the raw socket to close');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'WS_ERR_EXPECTED_MASK' }), 1);
  });

  it('counts a frame declaring more than maxPayload as WS_ERR_UNSUPPORTED_MESSAGE_LENGTH (close 1009) before buffering it', async () => {
    await setup();
    const before = await collect();
    const raw = await rawHandshake(port);
    raw.socket.write(frame(0x2, Buffer.alloc(0), { declaredLength: 200 * 1024 * 1024 }));
    await until(() => closeCodeIn(raw.received()) !== undefined, 'a close frame');
    assert.equal(closeCodeIn(raw.received()), 1009);
    raw.socket.destroy();
    await until(() => wss.clients.size === 1, 'the raw socket to close');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' }), 1);
  });

  it('counts an abrupt TCP reset as a 1006 close and keeps the active count exact', async () => {
    await setup();
    const before = await collect();
    const raws = await Promise.all([rawHandshake(port), rawHandshake(port), rawHandshake(port)]);
    await until(() => wss.clients.size === 4, 'three raw sockets');
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.active', SERVER), 3);
    for (const r of raws) r.socket.resetAndDestroy();
    await until(() => wss.clients.size === 1, 'the resets to reach the server');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.connections.active', SERVER), 0);
    assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1006 }), 3);
    assert.ok(inst.health().connectionStability < 1, 'abnormal closes lower the stability');
  });

  it('counts a burst of 10,000 messages exactly on both roles', async () => {
    await setup();
    const before = await collect();
    const ws = await connect(url);
    let got = 0;
    ws.on('message', () => got++);
    for (let i = 0; i < 10_000; i++) ws.send(i % 2 === 0 ? 'ping-text' : Buffer.alloc(64));
    await until(() => got === 10_000, '10,000 echoes', 20_000);
    const after = await collect();
    const n = (role: string, d: string, t: string) =>
      delta(before, after, 'websocket.messages', { 'ws.role': role, 'network.io.direction': d, 'websocket.message.type': t });
    assert.equal(n('server', 'receive', 'text'), 5000);
    assert.equal(n('server', 'receive', 'binary'), 5000);
    assert.equal(n('server', 'transmit', 'text'), 5000);
    assert.equal(n('server', 'transmit', 'binary'), 5000);
    assert.equal(n('client', 'transmit', 'text'), 5000);
    assert.equal(n('client', 'receive', 'binary'), 5000);
    // Handler time is sampled (default handlerTimingSampleEvery 16): the 1st message and every 16th after it.
    assert.equal(delta(before, after, 'websocket.message.latency', { ...SERVER, 'websocket.latency.kind': 'handler' }), 10_000 / 16);
    const rx = { ...SERVER, 'network.io.direction': 'receive' };
    assert.equal(after.sum('websocket.message.size', rx) - before.sum('websocket.message.size', rx), 5000 * 9 + 5000 * 64);
    ws.close();
    await closed(ws);
  });

  it('pings on the interval, records the round trip, and terminates a socket that never answers', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await setup(1000);
    const before = await collect();
    const raw = await rawHandshake(port);
    await until(() => wss.clients.size === 2, 'the raw socket');
    clock.tick(1000);
    await until(() => hasPing(raw.received()), 'a ping to the raw socket');
    const mid = await collectUntil((s) => delta(before, s, 'websocket.ping.rtt', SERVER) === 1, 'the bystander pong');
    assert.equal(mid.metric('websocket.ping.rtt')?.descriptor.unit, 's');
    clock.tick(1000);
    await until(() => wss.clients.size === 1, 'the silent socket to be terminated');
    const after = await collectUntil((s) => delta(before, s, 'websocket.ping.rtt', SERVER) === 2, 'the second pong');
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'ping_timeout' }), 1);
    assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1006 }), 1);
    raw.socket.destroy();
  });

  it('gives the app\'s own unanswered ping a full interval before terminating the socket', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await setup(1000);
    const before = await collect();
    const raw = await rawHandshake(port);
    await until(() => wss.clients.size === 2, 'the raw socket');
    const rawServerSide = [...wss.clients][1]; // insertion order: the bystander connected first
    rawServerSide.ping(); // the app pings the raw socket just before a tick; it never answers
    clock.tick(1000);
    await collectUntil((s) => delta(before, s, 'websocket.ping.rtt', SERVER) === 1, 'the bystander pong');
    assert.equal(wss.clients.size, 2, 'not terminated at the first tick after the app ping');
    assert.equal(delta(before, await collect(), 'websocket.errors', { ...SERVER, 'error.type': 'ping_timeout' }), 0);
    clock.tick(1000);
    await until(() => wss.clients.size === 1, 'termination one interval later');
    const after = await collectUntil((s) => delta(before, s, 'websocket.ping.rtt', SERVER) === 2, 'the second bystander pong');
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'ping_timeout' }), 1);
    raw.socket.destroy();
  });
});
