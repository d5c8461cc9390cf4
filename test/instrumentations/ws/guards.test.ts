import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import sinon from 'sinon';
import { WebSocket, type WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation, type WsLimits } from '../../../instrumentations/ws/index';
import { collect, connect, closed, delta, serverDrained, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const SERVER = { 'ws.role': 'server' };

/** Opens a client that the server is expected to refuse; resolves with the HTTP status and Retry-After. */
function refused(url: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => reject(new Error('connection was accepted')));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      res.resume();
      ws.terminate();
    });
  });
}

async function echoOnce(ws: WebSocket, text: string): Promise<string> {
  ws.send(text);
  const [data] = (await once(ws, 'message')) as [Buffer];
  return String(data);
}

describe('WsInstrumentation guards', () => {
  let inst: WsInstrumentation | undefined;
  let wss: WebSocketServer;
  let url: string;

  async function setup(limits: Partial<WsLimits>, guards = true): Promise<void> {
    inst = createWsInstrumentation({
      pingIntervalMs: 0,
      guards,
      limits,
      userKey: (req) => req.headers['x-user'] as string | undefined,
    });
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  }
  afterEach(async () => {
    sinon.restore();
    await stopServer(wss);
    inst?.disable();
  });

  it('refuses a 4th connection of one user with HTTP 429 and leaves the user\'s other sockets untouched', async () => {
    await setup({ perUser: 3 });
    const before = await collect();
    const alice = await Promise.all([1, 2, 3].map(() => connect(url, { headers: { 'x-user': 'alice' } })));
    const bob = await connect(url, { headers: { 'x-user': 'bob' } });
    const r = await new Promise<{ status: number }>((resolve) => {
      const ws = new WebSocket(url, { headers: { 'x-user': 'alice' } });
      ws.once('error', (e) => resolve({ status: Number(/(\d{3})/.exec(e.message)?.[1]) }));
    });
    assert.equal(r.status, 429);
    for (const s of [...alice, bob]) assert.equal(await echoOnce(s, 'still here'), 'still here');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'too_many_user_connections' }), 1);
    assert.equal(delta(before, after, 'websocket.connections.opened', { 'ws.role': 'client', outcome: 'rejected', reason: 'http_429' }), 1);
    assert.equal(delta(before, after, 'websocket.connections.opened', { ...SERVER, outcome: 'accepted', reason: 'none' }), 4);
    // Closing one of alice's sockets frees a slot.
    alice[0].close();
    await closed(alice[0]);
    await until(() => wss.clients.size === 3, 'the close to reach the server');
    const again = await connect(url, { headers: { 'x-user': 'alice' } });
    assert.equal(again.readyState, WebSocket.OPEN);
    for (const s of [...alice, bob, again]) s.close();
    await serverDrained(wss);
  });

  it('refuses connections beyond the total with HTTP 503', async () => {
    await setup({ total: 2 });
    const before = await collect();
    const socks = [await connect(url), await connect(url)];
    const { status } = await refused(url);
    assert.equal(status, 503);
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'too_many_connections' }), 1);
    for (const s of socks) assert.equal(await echoOnce(s, 'ok'), 'ok');
    for (const s of socks) s.close();
    await serverDrained(wss);
  });

  it('refuses new connections beyond the per-minute rate with 429, and admits again in the next window', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    await setup({ newConnections: 2, newConnectionsWindowMs: 60_000 });
    const before = await collect();
    const socks = [await connect(url), await connect(url)];
    assert.deepEqual(await refused(url), { status: 429, retryAfter: '60' });
    clock.tick(30_000);
    assert.deepEqual(await refused(url), { status: 429, retryAfter: '30' });
    clock.tick(30_000);
    socks.push(await connect(url));
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'connection_rate' }), 2);
    for (const s of socks) s.close();
    await serverDrained(wss);
  });

  it('closes a connection over the message rate with 1008, drops the excess, counts each refusal, spares other sockets', async () => {
    await setup({ messages: 10, messagesWindowMs: 60_000 });
    const before = await collect();
    let delivered = 0;
    wss.on('connection', (ws) => ws.on('message', () => delivered++));
    const noisy = await connect(url);
    const quiet = await connect(url);
    const code = closed(noisy);
    for (let i = 0; i < 15; i++) noisy.send(`m${i}`);
    assert.equal(await code, 1008);
    await until(() => wss.clients.size === 1, 'the noisy socket to close on the server');
    assert.equal(delivered, 10);
    assert.equal(await echoOnce(quiet, 'fine'), 'fine');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'message_rate_limited' }), 5);
    assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1008 }), 1);
    quiet.close();
    await serverDrained(wss);
  });

  it('closes a connection that sends a message over 4 KB with 1009; 4 KB exactly is accepted', async () => {
    await setup({});
    const before = await collect();
    const ws = await connect(url);
    assert.equal((await echoOnce(ws, 'a'.repeat(4096))).length, 4096);
    const code = closed(ws);
    ws.send('a'.repeat(4097));
    assert.equal(await code, 1009);
    await serverDrained(wss);
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'message_too_big' }), 1);
    assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1009 }), 1);
  });

  it('enforces nothing when guards are off', async () => {
    await setup({ total: 1, messages: 1, maxMessageBytes: 1 }, false);
    const a = await connect(url);
    const b = await connect(url);
    assert.equal(await echoOnce(a, 'hello'), 'hello');
    assert.equal(await echoOnce(a, 'again'), 'again');
    a.close();
    b.close();
    await serverDrained(wss);
  });
});
