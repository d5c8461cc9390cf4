import { strict as assert } from 'node:assert';
import { isWrapped } from '@opentelemetry/instrumentation';
import type { WebSocket, WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { collect, closed, connect, startServer, stopServer, type Snapshot } from './helpers';
import { until } from '../../helpers/poll';

/** ws's internal Sender prototype (not exported by the package), whose dispatch() is patched. */
const senderPrototype = (ws: WebSocket): { dispatch: unknown } => Object.getPrototypeOf((ws as unknown as { _sender: object })._sender) as { dispatch: unknown };

const CLIENT_TX = { 'ws.role': 'client', 'network.io.direction': 'transmit' };
const sizeDelta = (a: Snapshot, b: Snapshot) => ({
  count: b.value('websocket.message.size', CLIENT_TX) - a.value('websocket.message.size', CLIENT_TX),
  sum: b.sum('websocket.message.size', CLIENT_TX) - a.sum('websocket.message.size', CLIENT_TX),
});

/** The function that called Buffer.byteLength(text) directly, per call, while `fn` runs. */
function byteLengthCallers(text: string, fn: () => void): string[] {
  const callers: string[] = [];
  const original = Buffer.byteLength;
  Buffer.byteLength = function byteLength(this: unknown, ...args: Parameters<typeof Buffer.byteLength>) {
    if (args[0] === text) callers.push((new Error().stack ?? '').split('\n')[2] ?? '');
    return original.apply(Buffer, args);
  } as typeof Buffer.byteLength;
  try {
    fn();
  } finally {
    Buffer.byteLength = original;
  }
  return callers;
}

describe('WsInstrumentation: string sends are sized from the frame ws builds', () => {
  let inst: WsInstrumentation;
  let wss: WebSocketServer;
  let url: string;

  before(() => {
    inst = createWsInstrumentation({ pingIntervalMs: 0, guards: false });
  });
  after(() => inst.disable());
  afterEach(async () => stopServer(wss));

  async function echoClient(deflate: boolean): Promise<{ ws: WebSocket; echoes: () => number }> {
    ({ wss, url } = await startServer({ perMessageDeflate: deflate ? { threshold: 0 } : false }));
    wss.on('connection', (s) => s.on('message', (data, isBinary) => s.send(data, { binary: isBinary })));
    const ws = await connect(url, { perMessageDeflate: deflate });
    let n = 0;
    ws.on('message', () => n++);
    return { ws, echoes: () => n };
  }

  it('records the exact UTF-8 size of a string send without measuring the string a second time', async () => {
    const { ws, echoes } = await echoClient(false);
    const text = `${'é'.repeat(40_000)}abc`; // 80,003 bytes in UTF-8
    const before = await collect();
    const callers = byteLengthCallers(text, () => ws.send(text));
    ws.send(42); // ws sends a number as its decimal string: 2 bytes
    await until(() => echoes() === 2, 'two echoes');
    const after = await collect();
    assert.deepEqual(sizeDelta(before, after), { count: 2, sum: 80_005 });
    // ws's Sender measures it once (that is the length recorded); pulseguard adds no scan of its own.
    assert.deepEqual(callers.filter((frame) => !/[\\/]node_modules[\\/]ws[\\/]/.test(frame)), []);
    ws.close();
    await closed(ws);
  });

  it('sizes strings by their uncompressed bytes with permessage-deflate, also when queued behind compression', async () => {
    const { ws, echoes } = await echoClient(true);
    const before = await collect();
    // Sent in one tick: the first is being compressed while the other two wait in ws's queue.
    ws.send('x'.repeat(5000));
    ws.send('ü'.repeat(1000)); // 2,000 bytes
    ws.send('');               // 0 bytes (ws sends an empty Buffer for it)
    await until(() => echoes() === 3, 'three echoes');
    const after = await collect();
    assert.deepEqual(sizeDelta(before, after), { count: 3, sum: 7000 });
    ws.close();
    await closed(ws);
  });

  it('counts each fragment of a message sent with fin: false as its message\'s type, and a Blob once with permessage-deflate', async () => {
    const { ws, echoes } = await echoClient(true);
    const before = await collect();
    ws.send('ab', { fin: false });       // first fragment: a text frame
    ws.send('cde', { fin: true });       // continuation frame of the same text message
    ws.send(new Blob([Buffer.alloc(10), 'ü'])); // 12 B binary, read, then compressed
    await until(() => echoes() === 2, 'two echoes');
    const after = await collect();
    const messages = (type: string) => after.value('websocket.messages', { ...CLIENT_TX, 'websocket.message.type': type })
      - before.value('websocket.messages', { ...CLIENT_TX, 'websocket.message.type': type });
    assert.equal(messages('text'), 2);
    assert.equal(messages('binary'), 1);
    assert.deepEqual(sizeDelta(before, after), { count: 3, sum: 2 + 3 + 12 });
    ws.close();
    await closed(ws);
  });

  it('restores ws\'s Sender when disabled, and sizes strings again once re-enabled', async () => {
    const { ws, echoes } = await echoClient(false);
    ws.send('warm');
    await until(() => echoes() === 1, 'first echo');
    assert.ok(isWrapped(senderPrototype(ws).dispatch));
    inst.disable();
    assert.ok(!isWrapped(senderPrototype(ws).dispatch));
    inst.enable();
    const before = await collect();
    ws.send('abcdef');
    await until(() => echoes() === 2, 'second echo');
    const after = await collect();
    assert.deepEqual(sizeDelta(before, after), { count: 1, sum: 6 });
    ws.close();
    await closed(ws);
  });
});
