import { strict as assert } from 'node:assert';
import { propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WebSocket, type WebSocketServer } from 'ws';
import { createWsInstrumentation, type WsInstrumentation, type WsInstrumentationConfig } from '../../../instrumentations/ws/index';
import { connect, closed, startServer, stopServer } from './helpers';
import { until } from '../../helpers/poll';

const PARENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN = 'b7ad6b7169203331';

describe('WsInstrumentation spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let inst: WsInstrumentation;
  let wss: WebSocketServer;
  let url: string;

  async function setup(config: WsInstrumentationConfig = {}): Promise<void> {
    inst = createWsInstrumentation({ pingIntervalMs: 0, ...config });
    inst.setTracerProvider(provider);
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => ws.on('message', (d) => ws.send(d)));
  }
  before(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  after(() => propagation.disable());
  beforeEach(() => exporter.reset());
  afterEach(async () => {
    await stopServer(wss);
    inst.disable();
  });

  it('traces the upgrade as a server span under the caller\'s traceparent, and the close with code and reason', async () => {
    await setup();
    const ws = await connect(url, { headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` } });
    ws.close(4000, 'bye now');
    await closed(ws);
    await until(() => exporter.getFinishedSpans().filter((s) => s.name === 'websocket close').length === 2, 'both close spans');
    const spans = exporter.getFinishedSpans();
    const upgrade = spans.find((s) => s.name === 'websocket upgrade');
    assert.ok(upgrade);
    assert.equal(upgrade.kind, SpanKind.SERVER);
    assert.equal(upgrade.spanContext().traceId, PARENT_TRACE);
    assert.equal(upgrade.parentSpanContext?.spanId, PARENT_SPAN);
    const serverClose = spans.find((s) => s.name === 'websocket close' && s.links.length === 1);
    assert.ok(serverClose, 'the server close span links to the upgrade');
    assert.equal(serverClose.links[0].context.spanId, upgrade.spanContext().spanId);
    assert.equal(serverClose.attributes['websocket.close.code'], 4000);
    assert.equal(serverClose.attributes['websocket.close.reason'], 'bye now');
  });

  it('marks a refused upgrade span as an error with the HTTP status', async () => {
    await setup({ guards: true, limits: { total: 1 } });
    const a = await connect(url);
    await new Promise<void>((resolve) => {
      const b = new WebSocket(url);
      b.once('error', () => resolve());
    });
    const refused = exporter.getFinishedSpans().filter((s) => s.name === 'websocket upgrade' && s.status.code === SpanStatusCode.ERROR);
    assert.equal(refused.length, 1);
    assert.equal(refused[0].attributes['http.response.status_code'], 503);
    assert.equal(refused[0].status.message, 'too_many_connections');
    a.terminate();
  });

  it('creates no per-message spans by default, and one per message at sample ratio 1', async () => {
    await setup();
    let ws = await connect(url);
    ws.send('a');
    await new Promise((r) => ws.once('message', r));
    assert.equal(exporter.getFinishedSpans().filter((s) => s.name === 'websocket receive' || s.name === 'websocket send').length, 0);
    ws.terminate();
    await stopServer(wss);
    inst.disable();
    await setup({ messageSpans: true, messageSpanSampleRatio: 1 });
    ws = await connect(url);
    for (const m of ['a', 'b', 'c']) ws.send(m);
    let got = 0;
    ws.on('message', () => got++);
    await until(() => got === 3, 'three echoes');
    const spans = exporter.getFinishedSpans();
    assert.equal(spans.filter((s) => s.name === 'websocket receive' && s.kind === SpanKind.CONSUMER).length, 6, 'server receives 3, client receives 3');
    assert.equal(spans.filter((s) => s.name === 'websocket send').length, 6, 'client sends 3, server sends 3');
    ws.terminate();
  });
});
