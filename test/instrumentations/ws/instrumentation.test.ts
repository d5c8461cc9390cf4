import { strict as assert } from 'node:assert';
import { isWrapped } from '@opentelemetry/instrumentation';
import { WebSocket, WebSocketServer, type WebSocketServer as Wss } from 'ws';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { createWsInstrumentation, type WsInstrumentation } from '../../../instrumentations/ws/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';
import { collect, connect, closed, delta, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const RX_TEXT = { 'ws.role': 'server', 'network.io.direction': 'receive', 'websocket.message.type': 'text' };

async function roundTrip(url: string, n = 1): Promise<void> {
  const ws = await connect(url);
  let got = 0;
  ws.on('message', () => got++);
  for (let i = 0; i < n; i++) ws.send('x');
  await until(() => got === n, 'echoes');
  ws.close();
  await closed(ws);
}

describe('WsInstrumentation', () => {
  let wss: Wss;
  let url: string;
  let inst: WsInstrumentation | undefined;
  beforeEach(async () => {
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => ws.on('message', (d) => ws.send(d)));
  });
  afterEach(async () => {
    await stopServer(wss);
    inst?.disable();
  });

  describe('#enable', () => {
    it('patches ws already loaded before it was created, once, even when created twice', async () => {
      inst = createWsInstrumentation({ pingIntervalMs: 0 });
      const second = createWsInstrumentation({ pingIntervalMs: 0 });
      assert.ok(isWrapped(WebSocket.prototype.emit));
      assert.ok(isWrapped(WebSocketServer.prototype.handleUpgrade));
      const before = await collect();
      await roundTrip(url, 3);
      assert.equal(delta(before, await collect(), 'websocket.messages', RX_TEXT), 3, 'each message counted once');
      second.disable();
    });
  });

  describe('#disable', () => {
    it('restores the original methods and stops counting; enable() patches again', async () => {
      inst = createWsInstrumentation({ pingIntervalMs: 0 });
      inst.disable();
      assert.ok(!isWrapped(WebSocket.prototype.emit));
      assert.ok(!isWrapped((WebSocketServer.prototype as unknown as { completeUpgrade: () => void }).completeUpgrade));
      const before = await collect();
      await roundTrip(url, 2);
      assert.equal(delta(before, await collect(), 'websocket.messages', RX_TEXT), 0);
      inst.enable();
      await roundTrip(url, 2);
      assert.equal(delta(before, await collect(), 'websocket.messages', RX_TEXT), 2);
    });
  });

  describe('fault containment', () => {
    afterEach(() => setInternalErrorLogger(undefined));
    it('keeps connections and messages working when pulseguard itself throws inside a patch', async () => {
      const warned: string[] = [];
      setInternalErrorLogger({ warn: (_o, msg) => warned.push(msg) });
      inst = createWsInstrumentation({ pingIntervalMs: 0 });
      const broken: Tracer = { startSpan: () => { throw new Error('tracer exploded'); } } as unknown as Tracer;
      inst.setTracerProvider({ getTracer: () => broken } as TracerProvider);
      const faults = internalErrorCount('instrumentation.ws');
      const before = await collect();
      await roundTrip(url, 2);
      assert.ok(internalErrorCount('instrumentation.ws') > faults, 'the fault was counted');
      assert.deepEqual(warned, ['pulseguard contained an internal error'], 'logged once');
      const after = await collect();
      assert.equal(delta(before, after, 'websocket.messages', RX_TEXT), 2, 'message counting is unaffected');
    });
  });

  describe('#health', () => {
    it('reports the spec fields', async () => {
      inst = createWsInstrumentation({ pingIntervalMs: 0 });
      const ws = await connect(url);
      const h = inst.health();
      // The figures only: the status is the rules' (telemetry.health.componentReport('websocket')).
      assert.deepEqual(Object.keys(h).sort(), ['activeUsers', 'averageLatency', 'clientCount', 'connectionStability', 'errorRate', 'messageRate', 'timestamp']);
      assert.ok(h.clientCount >= 2);
      ws.terminate();
    });
  });
});
