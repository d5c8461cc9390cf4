import { strict as assert } from 'node:assert';
import { connect, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { closeWebSocketServers } from '../../../src/health/index';
import { getJson, makeHealth, serveHandler } from '../../helpers/health';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

async function wsServerWithClients(n: number): Promise<{ wss: WebSocketServer; clients: WebSocket[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const port = (wss.address() as AddressInfo).port;
  const clients = Array.from({ length: n }, () => new WebSocket(`ws://127.0.0.1:${port}`));
  await Promise.all(clients.map((c) => new Promise((resolve) => c.once('open', resolve))));
  return { wss, clients };
}

describe('graceful shutdown', () => {
  // Contained faults are expected here: capture their log lines instead of printing warnings.
  const contained: string[] = [];
  beforeEach(() => setInternalErrorLogger({ warn: (obj) => contained.push(JSON.stringify(obj)) }));
  afterEach(() => setInternalErrorLogger(undefined));

  describe('closeWebSocketServers', () => {
    it('closes every client of every server with 1001 and closes the servers', async () => {
      const a = await wsServerWithClients(2);
      const b = await wsServerWithClients(1);
      const codes = Promise.all([...a.clients, ...b.clients].map((c) => new Promise<[number, string]>((resolve) => {
        c.once('close', (code, reason) => resolve([code, reason.toString()]));
      })));
      const portA = (a.wss.address() as AddressInfo).port;
      await closeWebSocketServers([a.wss, b.wss]);
      assert.deepEqual(await codes, [[1001, 'server shutting down'], [1001, 'server shutting down'], [1001, 'server shutting down']]);
      assert.equal(a.wss.clients.size, 0);
      await assert.rejects(new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${portA}`);
        ws.once('open', resolve);
        ws.once('error', reject);
      }));
    });

    it('terminates a client that does not complete the closing handshake in time', async () => {
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      await new Promise((resolve) => wss.once('listening', resolve));
      const connected = new Promise((resolve) => wss.once('connection', resolve));
      // A raw client that upgrades, then never answers anything (so never the close frame).
      const raw = connect((wss.address() as AddressInfo).port, '127.0.0.1');
      raw.on('error', () => {});
      raw.resume();
      raw.write(['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'));
      await connected;
      const rawClosed = new Promise((resolve) => raw.once('close', resolve));
      const t0 = performance.now();
      await closeWebSocketServers([wss], 1001, { timeoutMs: 100 });
      assert.ok(performance.now() - t0 >= 90, 'waited for the handshake before terminating');
      await rawClosed;
    });
  });

  describe('Health#gracefulShutdown', () => {
    it('flips readiness at once, runs hooks, waits drainMs, then calls the final shutdown once', async () => {
      const events: string[] = [];
      const { health } = makeHealth({ shutdown: { drainMs: 300 } }, async () => {
        events.push('final');
      });
      const s = await serveHandler(health.handler);
      try {
        health.onShutdown(() => {
          events.push(`hook(shuttingDown=${health.shuttingDown})`);
        });
        health.onShutdown(() => {
          throw new Error('a throwing hook is contained');
        });
        const removed = health.onShutdown(() => {
          events.push('removed hook');
        });
        removed();
        const before = internalErrorCount('health');
        const t0 = performance.now();
        const done = health.gracefulShutdown();
        assert.equal(health.gracefulShutdown(), done, 'idempotent');
        assert.equal(health.shuttingDown, true);
        assert.deepEqual(events, ['hook(shuttingDown=true)'], 'hooks start at once; the final shutdown waits for the drain');
        assert.equal((await getJson(`${s.url}/readyz`)).status, 503);
        await done;
        assert.ok(performance.now() - t0 >= 290, 'waited the drain time');
        assert.deepEqual(events, ['hook(shuttingDown=true)', 'final']);
        assert.equal(internalErrorCount('health'), before + 1);
        assert.ok(contained.some((l) => l.includes('a throwing hook is contained')), contained.join('\n'));
      } finally {
        await s.close();
      }
    });
  });
});
