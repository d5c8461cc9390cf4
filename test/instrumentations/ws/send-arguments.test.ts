import { strict as assert } from 'node:assert';
import type { WebSocket, WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { collect, closed, connect, delta, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

/**
 * The send() patch passes (data, options, cb) on by name rather than forwarding `arguments`:
 * ws must see every call form exactly as without pulseguard (options or a callback in second
 * place, both, neither, a number), and the counts must follow ws's own reading of them.
 */
describe('WsInstrumentation send() call forms', () => {
  let inst: WsInstrumentation;
  let wss: WebSocketServer;
  let url: string;
  const received: { text: string; isBinary: boolean }[] = [];

  before(() => { inst = createWsInstrumentation({ pingIntervalMs: 0, guards: false }); });
  after(() => inst.disable());
  beforeEach(async () => {
    received.length = 0;
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => received.push({ text: String(data), isBinary })));
  });
  afterEach(async () => stopServer(wss));

  const sent = (ws: WebSocket, ...args: unknown[]): Promise<unknown> => new Promise((resolve) => {
    // The callback goes last, wherever that is; ws calls it once the frame is written.
    (ws.send as (...a: unknown[]) => void)(...args, (err?: unknown) => resolve(err));
  });

  it('delivers data with a callback in second or third place, and options alone, as ws reads them', async () => {
    const before = await collect();
    const ws = await connect(url);
    assert.equal(await sent(ws, 'cb-second') ?? null, null);
    assert.equal(await sent(ws, 'opts-and-cb', { binary: true }) ?? null, null);
    ws.send('opts-only', { binary: false });
    ws.send(42);
    ws.send('data-only');
    await until(() => received.length === 5, 'five messages');
    assert.deepEqual(received, [
      { text: 'cb-second', isBinary: false },
      { text: 'opts-and-cb', isBinary: true },
      { text: 'opts-only', isBinary: false },
      { text: '42', isBinary: false },
      { text: 'data-only', isBinary: false },
    ]);
    const after = await collect();
    const tx = (type: string) => ({ 'ws.role': 'client', 'network.io.direction': 'transmit', 'websocket.message.type': type });
    assert.equal(delta(before, after, 'websocket.messages', tx('text')), 4);
    assert.equal(delta(before, after, 'websocket.messages', tx('binary')), 1);
    const size = { 'ws.role': 'client', 'network.io.direction': 'transmit' };
    assert.equal(after.sum('websocket.message.size', size) - before.sum('websocket.message.size', size), 9 + 11 + 9 + 2 + 9);
    ws.close();
    await closed(ws);
  });

  it('hands the callback ws\'s error for a send after close, counting nothing', async () => {
    const ws = await connect(url);
    ws.close();
    await closed(ws);
    const before = await collect();
    const err = await sent(ws, 'late');
    assert.ok(err instanceof Error, 'ws reports the send on a closed socket to the callback');
    const after = await collect();
    assert.equal(delta(before, after, 'websocket.messages', { 'ws.role': 'client', 'network.io.direction': 'transmit', 'websocket.message.type': 'text' }), 0);
  });
});
