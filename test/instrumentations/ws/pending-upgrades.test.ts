import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import { WebSocket, type WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation, type WsLimits } from '../../../instrumentations/ws/index';
import { collect, delta, serverDrained, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const SERVER = { 'ws.role': 'server' };

type Verify = (info: { req: IncomingMessage }, cb: (ok: boolean, code?: number) => void) => void;

/** How one client attempt ended: opened (the socket) or refused (the HTTP status). */
type Attempt = { open: WebSocket; status?: undefined } | { open?: undefined; status: number };

/** Opens a client; resolves when it opened or the server answered with a non-101 status. */
function attempt(url: string, user?: string): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, user === undefined ? {} : { headers: { 'x-user': user } });
    ws.once('open', () => resolve({ open: ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function opened(results: Attempt[]): WebSocket[] {
  return results.flatMap((r) => (r.open ? [r.open] : []));
}

function statuses(results: Attempt[]): number[] {
  return results.flatMap((r) => (r.status !== undefined ? [r.status] : []));
}

describe('WsInstrumentation guards: upgrades inside an async verifyClient hold a slot', () => {
  let inst: WsInstrumentation | undefined;
  let wss: WebSocketServer | undefined;
  let url: string;
  /**
   * verifyClient calls waiting for the test to decide them (gated mode). `closed`: the server-side
   * socket emitted 'close' (this listener is added before the instrumentation's, so once it ran
   * the instrumentation has seen the close too).
   */
  let waiting: Array<{ cb: (ok: boolean, code?: number) => void; closed: boolean }> = [];

  async function setup(limits: Partial<WsLimits>, verify: Verify): Promise<void> {
    inst = createWsInstrumentation({ pingIntervalMs: 0, guards: true, limits, userKey: (req) => req.headers['x-user'] as string | undefined });
    ({ wss, url } = await startServer({ verifyClient: verify }));
    wss.on('connection', (ws) => ws.on('error', () => {}));
  }

  /** verifyClient that admits after `ms`. */
  const after = (ms: number): Verify => (_info, cb) => { setTimeout(() => cb(true), ms); };
  /** verifyClient that waits for the test (`waiting`). */
  const gated: Verify = (info, cb) => {
    const w = { cb, closed: false };
    info.req.socket.once('close', () => { w.closed = true; });
    waiting.push(w);
  };

  /** The guard's bookkeeping, pending reservations included. */
  /**
   * With `holder` still inside verifyClient, alice's two other slots (of 3) are free again: two
   * new upgrades and the holder are admitted, counted once each, and closing them empties the counts.
   */
  async function fullCapacityAgain(holder: Promise<Attempt>): Promise<void> {
    const again = [attempt(url, 'alice'), attempt(url, 'alice')];
    await until(() => waiting.length === 3, 'two new upgrades inside verifyClient');
    for (const w of waiting.splice(0)) w.cb(true);
    const socks = opened(await Promise.all([holder, ...again]));
    assert.equal(socks.length, 3);
    assert.deepEqual(counts(), { open: 3, pending: 0, users: 1, pendingUsers: 0 });
    for (const s of socks) s.close();
    await serverDrained(wss!);
    assert.deepEqual(counts(), { open: 0, pending: 0, users: 0, pendingUsers: 0 });
  }

  /** Open connections and users (the guards), and slots held but not yet open (the limiter). */
  function counts(): { open: number; pending: number; users: number; pendingUsers: number } {
    const g = inst!.tracker.guards;
    const slots = g.limiter.connections;
    const pendingUsers = [...slots.userKeys()].filter((k) => slots.heldBy(k) > (g.users.get(k) ?? 0)).length;
    return { open: g.serverConnections, pending: slots.held - g.serverConnections, users: g.users.size, pendingUsers };
  }

  /** Slots of `user` held by upgrades not yet open. */
  function pendingOf(user: string): number {
    const g = inst!.tracker.guards;
    return g.limiter.connections.heldBy(user) - (g.users.get(user) ?? 0);
  }

  afterEach(async () => {
    for (const w of waiting) w.cb(false, 401);
    waiting = [];
    if (wss) await stopServer(wss);
    wss = undefined;
    inst?.disable();
  });

  it('admits exactly maxTotalConnections of concurrent upgrades; the others get 503', async () => {
    await setup({ total: 2 }, after(100));
    const before = await collect();
    const results = await Promise.all([1, 2, 3].map(() => attempt(url)));
    const socks = opened(results);
    assert.equal(socks.length, 2);
    assert.deepEqual(statuses(results), [503]);
    await until(() => wss!.clients.size === 2, 'two server sockets');
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.active', SERVER), 2);
    assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'too_many_connections' }), 1);
    assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'accepted', reason: 'none' }), 2);
    for (const s of socks) s.close();
    await serverDrained(wss!);
  });

  it('admits exactly maxConnectionsPerUser of one user\'s concurrent upgrades; the others get 429', async () => {
    await setup({ perUser: 3 }, after(100));
    const before = await collect();
    const [alice, bob] = await Promise.all([
      Promise.all([1, 2, 3, 4, 5].map(() => attempt(url, 'alice'))),
      Promise.all([1, 2].map(() => attempt(url, 'bob'))),
    ]);
    assert.equal(opened(alice).length, 3);
    assert.deepEqual(statuses(alice), [429, 429]);
    assert.equal(opened(bob).length, 2, 'another user is not affected');
    await until(() => wss!.clients.size === 5, 'five server sockets');
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'too_many_user_connections' }), 2);
    assert.deepEqual(counts(), { open: 5, pending: 0, users: 2, pendingUsers: 0 });
    for (const s of [...opened(alice), ...opened(bob)]) s.close();
    await serverDrained(wss!);
  });

  it('releases the reservation of an upgrade that verifyClient refuses, once', async () => {
    await setup({ total: 3, perUser: 3 }, gated);
    const before = await collect();
    // A holder stays pending throughout: a second release of a refused upgrade would free its slot.
    const holder = attempt(url, 'alice');
    await until(() => waiting.length === 1, 'the holder inside verifyClient');
    const denied = [attempt(url, 'alice'), attempt(url, 'alice')];
    await until(() => waiting.length === 3, 'two more upgrades inside verifyClient');
    assert.deepEqual(counts(), { open: 0, pending: 3, users: 0, pendingUsers: 1 });
    // While they are pending they hold every slot: another upgrade is refused at once.
    assert.equal((await attempt(url, 'bob')).status, 503);
    const refusedOnes = waiting.splice(1);
    for (const w of refusedOnes) w.cb(false, 401);
    assert.deepEqual(statuses(await Promise.all(denied)), [401, 401]);
    await until(() => refusedOnes.every((w) => w.closed), 'the refused server sockets to close');
    assert.deepEqual(counts(), { open: 0, pending: 1, users: 0, pendingUsers: 1 });
    assert.equal(pendingOf('alice'), 1);
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'handshake_failed' }), 2);
    await fullCapacityAgain(holder);
  });

  it('releases the reservation once when the client goes away before verifyClient decides', async () => {
    await setup({ total: 3, perUser: 3 }, gated);
    const before = await collect();
    const holder = attempt(url, 'alice');
    await until(() => waiting.length === 1, 'the holder inside verifyClient');
    const quitters = [new WebSocket(url, { headers: { 'x-user': 'alice' } }), new WebSocket(url, { headers: { 'x-user': 'alice' } })];
    for (const q of quitters) q.on('error', () => {});
    await until(() => waiting.length === 3, 'two more upgrades inside verifyClient');
    assert.deepEqual(counts(), { open: 0, pending: 3, users: 0, pendingUsers: 1 });
    for (const q of quitters) q.terminate();
    // The server socket sees the client's FIN; ws would drop it at completeUpgrade, so the slot is free now.
    await until(() => counts().pending === 1, 'the quitters\' reservations to be released');
    // verifyClient admits them afterwards: ws drops the dead sockets, nothing is released twice.
    const quitOnes = waiting.splice(1);
    for (const w of quitOnes) w.cb(true);
    await until(() => quitOnes.every((w) => w.closed), 'the quitters\' server sockets to close');
    assert.deepEqual(counts(), { open: 0, pending: 1, users: 0, pendingUsers: 1 });
    assert.equal(wss!.clients.size, 0);
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'handshake_failed' }), 2);
    assert.equal(delta(before, mid, 'websocket.connections.active', SERVER), 0);
    await fullCapacityAgain(holder);
  });

  it('counts each completed upgrade once: active connections and guard counts equal the open sockets, and return to 0', async () => {
    await setup({ total: 10, perUser: 3 }, after(50));
    const before = await collect();
    const results = await Promise.all([
      ...[1, 2, 3].map(() => attempt(url, 'alice')),
      ...[1, 2].map(() => attempt(url, 'bob')),
      attempt(url),
    ]);
    const socks = opened(results);
    assert.equal(socks.length, 6);
    await until(() => wss!.clients.size === 6, 'six server sockets');
    assert.deepEqual(counts(), { open: 6, pending: 0, users: 2, pendingUsers: 0 });
    assert.equal(inst!.tracker.guards.users.get('alice'), 3);
    assert.equal(inst!.tracker.guards.users.get('bob'), 2);
    assert.equal(inst!.health().activeUsers, 2);
    const mid = await collect();
    assert.equal(delta(before, mid, 'websocket.connections.active', SERVER), 6);
    assert.equal(mid.value('websocket.users.active', {}), 2);
    for (const s of socks) s.close();
    await serverDrained(wss!);
    assert.deepEqual(counts(), { open: 0, pending: 0, users: 0, pendingUsers: 0 });
    const end = await collect();
    assert.equal(delta(before, end, 'websocket.connections.active', SERVER), 0);
    assert.equal(delta(before, end, 'websocket.connections.opened', { ...SERVER, outcome: 'rejected', reason: 'handshake_failed' }), 0, 'a closing connection does not finalize its upgrade again');
    assert.equal(end.value('websocket.users.active', {}), 0);
  });
});
