import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import type { WebSocket, WebSocketServer } from 'ws';
import { getTelemetry, start, type PulseguardConfigInput, type Telemetry } from '../../src/index';
import { closed, connect, serverDrained, startServer, stopServer } from '../instrumentations/ws/helpers';
import { until } from '../helpers/poll';

// Issue 20: with the documented minimal config, pulseguard closed users' sockets (a 5 KB message
// got 1009, more than 100 messages a minute 1008). Guards are opt-in now.
const minimal = (extra: PulseguardConfigInput['instrumentations'] = {}): PulseguardConfigInput => ({
  service: { name: 'ws-observe-only' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
  shutdown: { handleSignals: false }, rules: { enabled: false }, instrumentations: { ws: { pingIntervalMs: 0, ...extra.ws } },
});

async function decisions(t: Telemetry, policy: string, outcome: string): Promise<number> {
  const rm = await t.collect();
  const m = rm.scopeMetrics.flatMap((s) => s.metrics).find((x) => x.descriptor.name === 'ratelimit.decisions');
  const p = m?.dataPoints.find((d) => d.attributes['ratelimit.policy'] === policy && d.attributes.outcome === outcome);
  return (p?.value as number | undefined) ?? 0;
}

async function echo(ws: WebSocket, data: string): Promise<string> {
  ws.send(data);
  const [reply] = (await once(ws, 'message')) as [Buffer];
  return String(reply);
}

describe('regression: ws guards are opt-in (observe-only by default)', () => {
  let wss: WebSocketServer;
  let url: string;
  let delivered = 0;
  beforeEach(async () => {
    delivered = 0;
    ({ wss, url } = await startServer());
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.on('message', (d) => { delivered++; ws.send(d); });
    });
  });
  afterEach(async () => {
    await stopServer(wss);
    await getTelemetry()?.shutdown();
  });

  it('with the minimal config, a 5 KB message and 150 messages in a minute are delivered and no socket is closed', async () => {
    const t = await start(minimal());
    // ratelimit.decisions is process-wide and cumulative: compare with the count at start.
    const before = await decisions(t, 'websocket.messages', 'throttled');
    const ws = await connect(url);
    let closedCode: number | undefined;
    ws.on('close', (c) => { closedCode = c; });
    assert.equal((await echo(ws, 'x'.repeat(5 * 1024))).length, 5 * 1024);
    for (let i = 0; i < 150; i++) ws.send(`m${i}`);
    await until(() => delivered === 151, 'every message to reach the app');
    assert.equal(closedCode, undefined);
    assert.equal(ws.readyState, ws.OPEN);
    assert.equal(await decisions(t, 'websocket.messages', 'throttled'), before, 'nothing was refused');
    ws.close();
    await serverDrained(wss);
  });

  it('opted in, the guards close with 1009 and 1008 through the limiter, and leave other sockets alone', async () => {
    const t = await start(minimal({ ws: { guards: true } }));
    const throttledBefore = await decisions(t, 'websocket.messages', 'throttled');
    const allowedBefore = await decisions(t, 'websocket.messages', 'allowed');
    const bystander = await connect(url);
    const big = await connect(url);
    const bigCode = closed(big);
    big.send('x'.repeat(5 * 1024));
    assert.equal(await bigCode, 1009);
    const noisy = await connect(url);
    const noisyCode = closed(noisy);
    for (let i = 0; i < 101; i++) noisy.send(`m${i}`);
    assert.equal(await noisyCode, 1008);
    assert.equal(await echo(bystander, 'still here'), 'still here');
    // Both refusals are decisions of the one limiter, in the series HighThrottleRate reads.
    assert.equal(await decisions(t, 'websocket.messages', 'throttled') - throttledBefore, 2);
    assert.ok((await decisions(t, 'websocket.messages', 'allowed')) - allowedBefore >= 101);
    bystander.close();
    await serverDrained(wss);
  });
});
