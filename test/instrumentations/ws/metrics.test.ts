import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, type WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';
import { collect, connect, closed, delta, serverDrained, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const SERVER = { 'ws.role': 'server' };
const CLIENT = { 'ws.role': 'client' };

function parseId(data: unknown): string | undefined {
  try {
    const v = JSON.parse(String(data)) as { id?: unknown };
    return typeof v.id === 'string' ? v.id : undefined;
  } catch {
    return undefined;
  }
}

describe('WsInstrumentation metrics', () => {
  let inst: WsInstrumentation;
  let wss: WebSocketServer;
  let url: string;

  before(() => {
    inst = createWsInstrumentation({
      pingIntervalMs: 0,
      guards: false,
      // Every message timed, so handler-time counts equal message counts here (sampling: handler-timing.test.ts).
      handlerTimingSampleEvery: 1,
      userKey: (req) => new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? undefined,
      correlationId: parseId,
    });
  });
  after(() => inst.disable());
  beforeEach(async () => {
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => {
        if (String(data) === 'throw') throw new Error('app handler failed');
        ws.send(data, { binary: isBinary });
      });
    });
  });
  afterEach(async () => stopServer(wss));

  describe('connections', () => {
    it('counts accepted connections, active connections, closes by code and duration, per role', async () => {
      const before = await collect();
      const a = await connect(url);
      const b = await connect(url);
      await until(() => wss.clients.size === 2, 'two server sockets');
      const mid = await collect();
      assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'accepted', reason: 'none' }), 2);
      assert.equal(delta(before, mid, 'websocket.connections.opened', { ...CLIENT, outcome: 'accepted', reason: 'none' }), 2);
      assert.equal(delta(before, mid, 'websocket.connections.active', SERVER), 2);
      assert.equal(delta(before, mid, 'websocket.connections.active', CLIENT), 2);
      const m = mid.metric('websocket.connections.active');
      assert.equal(m?.descriptor.unit, '{connection}');
      a.close(1000, 'done');
      b.close(4001, 'custom');
      await Promise.all([closed(a), closed(b)]);
      await serverDrained(wss);
      const after = await collect();
      assert.equal(delta(before, after, 'websocket.connections.active', SERVER), 0);
      assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 1000 }), 1);
      assert.equal(delta(before, after, 'websocket.connections.closed', { ...SERVER, 'websocket.close.code': 4001 }), 1);
      assert.equal(delta(before, after, 'websocket.connections.closed', { ...CLIENT, 'websocket.close.code': 1000 }), 1);
      assert.equal(delta(before, after, 'websocket.connection.duration', SERVER), 2);
      assert.equal(after.metric('websocket.connection.duration')?.descriptor.unit, 's');
    });

    it('counts distinct active users from the user key without exporting the key', async () => {
      const before = await collect();
      const socks = await Promise.all([connect(`${url}/?user=alice`), connect(`${url}/?user=alice`), connect(`${url}/?user=bob`), connect(url)]);
      await until(() => wss.clients.size === 4, 'four server sockets');
      const mid = await collect();
      assert.equal(mid.value('websocket.users.active', {}), 2);
      assert.equal(inst.health().activeUsers, 2);
      const points = JSON.stringify(mid.metric('websocket.users.active')?.dataPoints);
      assert.ok(!points.includes('alice') && !points.includes('bob'), points);
      socks[0].close();
      await closed(socks[0]);
      await until(() => wss.clients.size === 3, 'one close');
      assert.equal((await collect()).value('websocket.users.active', {}), 2, 'alice still has a connection');
      socks[1].close();
      await closed(socks[1]);
      await until(() => wss.clients.size === 2, 'second close');
      assert.equal((await collect()).value('websocket.users.active', {}), 1);
      for (const s of socks) s.close();
      await serverDrained(wss);
      assert.equal(before.value('websocket.users.active', {}), 0);
    });

    it('counts a client that cannot connect as rejected with reason connect_failed', async () => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1');
      await once(srv, 'listening');
      const port = (srv.address() as AddressInfo).port;
      await new Promise<void>((r) => srv.close(() => r()));
      const before = await collect();
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      const [err] = (await once(ws, 'error')) as [NodeJS.ErrnoException];
      assert.equal(err.code, 'ECONNREFUSED');
      const after = await collect();
      assert.equal(delta(before, after, 'websocket.connections.opened', { ...CLIENT, outcome: 'rejected', reason: 'connect_failed' }), 1);
      assert.equal(delta(before, after, 'websocket.errors', { ...CLIENT, 'error.type': 'ECONNREFUSED' }), 1);
    });
  });

  describe('messages', () => {
    it('counts messages and sizes per direction and type on both roles, exactly', async () => {
      const before = await collect();
      const ws = await connect(url);
      let got = 0;
      ws.on('message', () => got++);
      ws.send('hello');                       // 5 B text
      ws.send(Buffer.alloc(100));             // 100 B binary
      ws.send('ü'.repeat(10));                // 20 B text (UTF-8)
      await until(() => got === 3, 'three echoes');
      const after = await collect();
      const dir = (role: object, d: string, t: string) => ({ ...role, 'network.io.direction': d, 'websocket.message.type': t });
      assert.equal(delta(before, after, 'websocket.messages', dir(SERVER, 'receive', 'text')), 2);
      assert.equal(delta(before, after, 'websocket.messages', dir(SERVER, 'receive', 'binary')), 1);
      assert.equal(delta(before, after, 'websocket.messages', dir(SERVER, 'transmit', 'text')), 2);
      assert.equal(delta(before, after, 'websocket.messages', dir(SERVER, 'transmit', 'binary')), 1);
      assert.equal(delta(before, after, 'websocket.messages', dir(CLIENT, 'transmit', 'text')), 2);
      assert.equal(delta(before, after, 'websocket.messages', dir(CLIENT, 'receive', 'binary')), 1);
      const rx = { ...SERVER, 'network.io.direction': 'receive' };
      assert.equal(delta(before, after, 'websocket.message.size', rx), 3);
      assert.equal(after.sum('websocket.message.size', rx) - before.sum('websocket.message.size', rx), 125);
      assert.equal(after.metric('websocket.message.size')?.descriptor.unit, 'By');
      assert.equal(after.metric('websocket.messages')?.descriptor.unit, '{message}');
      ws.close();
      await closed(ws);
    });

    it('sizes Blob sends by their byte size (ws 8.18+ sends Blobs)', async () => {
      const before = await collect();
      const ws = await connect(url);
      let got = 0;
      ws.on('message', () => got++);
      ws.send(new Blob([Buffer.alloc(300), 'ü']));  // 302 B binary
      ws.send('ab');                                 // 2 B text
      await until(() => got === 2, 'two echoes');
      const after = await collect();
      const tx = { ...CLIENT, 'network.io.direction': 'transmit' };
      assert.equal(delta(before, after, 'websocket.message.size', tx), 2);
      assert.equal(after.sum('websocket.message.size', tx) - before.sum('websocket.message.size', tx), 304);
      ws.close();
      await closed(ws);
    });

    it('records server handler time for every delivered message', async () => {
      const before = await collect();
      const ws = await connect(url);
      let got = 0;
      ws.on('message', () => got++);
      for (let i = 0; i < 7; i++) ws.send(`m${i}`);
      await until(() => got === 7, 'seven echoes');
      const after = await collect();
      const handler = { ...SERVER, 'websocket.latency.kind': 'handler' };
      assert.equal(delta(before, after, 'websocket.message.latency', handler), 7);
      assert.ok(after.sum('websocket.message.latency', handler) >= before.sum('websocket.message.latency', handler));
      assert.equal(after.metric('websocket.message.latency')?.descriptor.unit, 's');
      ws.close();
      await closed(ws);
    });

    it('records a request/ack round trip when the correlation id of a reply matches a request', async () => {
      const before = await collect();
      const ws = await connect(url);
      let got = 0;
      ws.on('message', () => got++);
      ws.send(JSON.stringify({ id: 'r1' }));
      ws.send(JSON.stringify({ id: 'r2' }));
      ws.send('no id');
      await until(() => got === 3, 'three echoes');
      const after = await collect();
      assert.equal(delta(before, after, 'websocket.message.latency', { ...CLIENT, 'websocket.latency.kind': 'round_trip' }), 2);
      ws.close();
      await closed(ws);
    });

    it('passes an error thrown by the app handler through unchanged, and counts it', async () => {
      const before = await collect();
      const ws = await connect(url);
      const [server] = [...wss.clients];
      const seen: unknown[] = [];
      const onUncaught = (err: unknown) => seen.push(err);
      // ws emits 'message' from the socket's data handler: the app's throw surfaces as an uncaught exception.
      const listeners = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.on('uncaughtException', onUncaught);
      try {
        ws.send('throw');
        await until(() => seen.length === 1, 'the app error');
      } finally {
        process.removeListener('uncaughtException', onUncaught);
        for (const l of listeners) process.on('uncaughtException', l);
      }
      assert.equal((seen[0] as Error).message, 'app handler failed');
      const after = await collect();
      assert.equal(delta(before, after, 'websocket.errors', { ...SERVER, 'error.type': 'handler_error' }), 1);
      assert.ok(server);
      ws.terminate();
    });
  });

  describe('hooks', () => {
    afterEach(() => setInternalErrorLogger(undefined));
    it('ignores a throwing userKey or correlationId hook and counts it as an internal error', async () => {
      const warned: string[] = [];
      setInternalErrorLogger({ warn: (_o, msg) => warned.push(msg) });
      const broken = createWsInstrumentation({ pingIntervalMs: 0, guards: false, userKey: () => { throw new Error('boom'); }, correlationId: () => { throw new Error('boom2'); } });
      try {
        const before = internalErrorCount('instrumentation.ws');
        const ws = await connect(url);
        let got = 0;
        ws.on('message', () => got++);
        ws.send('x');
        await until(() => got === 1, 'echo');
        assert.ok(internalErrorCount('instrumentation.ws') - before >= 3, 'userKey + correlation on send and receive');
        assert.ok(warned.length >= 1 && warned.length <= 2, 'each distinct fault is logged once, not per message');
        ws.close();
        await closed(ws);
      } finally {
        broken.disable();
        inst.enable();
      }
    });
  });
});
