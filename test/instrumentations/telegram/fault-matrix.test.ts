import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import {
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_FLOOD_WAITS, METRIC_TELEGRAM_RECONNECTS, METRIC_TELEGRAM_RPC_DURATION,
  METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, METRIC_TELEGRAM_SESSION_ERRORS, createMemorySessionPool,
} from '../../../instrumentations/telegram/index';
import { delay, rpcError } from '../../../src/testing/index';
import { FaultWorld } from './fault-world';
import { metricValue } from './harness';

type Body = { status: string; sessions?: unknown[]; decidedBy: { rule: string | null; field: string; level: string } | null;
  metrics: { messageLatency: number[]; floodWait: number; dcLatency: Record<string, number> };
  session?: { id: string; health: { healthy: boolean; connected: boolean; sessionErrors: string[] }; lastAction: string } };

// Issue 19, "Done when": every fault on the fake DC with the real GramJS client, on a fake clock
// with the real deadlines (30 s steps, 1 s..30 s backoff, 5 tries). In every case: no promise of
// pulseguard's stays pending past its deadline, the DC never sees two live connections on one
// auth key, and /health/telegram and the metrics show the state.
describe('Telegram fault matrix (fake DC, real GramJS, fake clock, default deadlines)', function () {
  this.timeout(60_000);
  let w: FaultWorld;
  // recover(): per attempt the lease, disconnect, connect and getMe steps, then a backoff sleep.
  const recoverDeadline = (): number => w.settings.backoff.maxRetries * (4 * w.settings.stepTimeoutMs + w.settings.backoff.maxMs * (1 + w.settings.backoff.jitter));
  // failover(): up to 3 standbys (acquire, lease, connect, getMe, and on failure disconnect and two releases), then the hand-over.
  const failoverDeadline = (): number => 15 * w.settings.stepTimeoutMs;
  // checkNow(): the lease renewal, then a recovery or a failover.
  const checkDeadline = (): number => w.settings.stepTimeoutMs + Math.max(recoverDeadline(), failoverDeadline());
  const body = async (): Promise<Body> => (await w.health()) as unknown as Body;

  beforeEach(() => {
    w = new FaultWorld();
  });

  afterEach(async () => {
    await w.close();
  });

  it('a DC unreachable for two minutes: the check settles in time, the session comes back, one connection per key', async () => {
    const client = w.newClient(w.dc.sessionString());
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const monitor = w.telemetry.monitorSession({ client });
    await w.advance(1000);
    assert.equal((await body()).status, 'healthy', 'a call that waited through the outage is not a slow session');

    w.dc.setReachable(false);
    await w.advance(5000);
    const down = await body();
    assert.equal(down.status, 'unhealthy');
    assert.deepEqual(down.decidedBy, { rule: null, field: 'session.health.healthy', value: 0, level: 'critical' });
    assert.equal(down.session?.health.connected, false);
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 0);
    const recoveries = await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'recovery' });

    const started = Date.now();
    const check = monitor.checkNow();
    await w.advance(115_000); // two minutes down in all
    w.dc.setReachable(true);
    const { value: action, tookMs } = await w.settlesWithin(check, checkDeadline(), 'checkNow()', started);
    assert.equal(action, 'recovered', `after ${tookMs} ms`);
    assert.ok((await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'recovery' })) > recoveries + 1, 'recovery attempts are counted');

    await w.advance(1000);
    assert.equal(client.connected, true);
    assert.equal((await body()).status, 'healthy', 'a call that waited through the outage is not a slow session');
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 1);
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });

  it('transport error -404: the stuck call and the broken session show, the check fails over in time, one connection per key', async () => {
    const session = w.dc.sessionString();
    const client = w.newClient(session);
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const pool = createMemorySessionPool([{ id: 'standby', session: w.dc.newSession() }]);
    const monitor = w.telemetry.monitorSession({ client, pool, createClient: (s) => w.newClient(s) });
    const errors = await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'TRANSPORT_ERROR_404' });

    w.dc.forgetAuthKey(session);
    const stuck = client.invoke(new Api.updates.GetState());
    stuck.catch(() => undefined);
    await w.advance(80_000);
    assert.ok((await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'TRANSPORT_ERROR_404' })) > errors, 'the -404 is a session error');
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 0, 'the socket is open but the session is dead');
    assert.ok((await metricValue(METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, { 'telegram.method.class': 'updates' })) >= 60, 'the stuck call is 80 s old');
    assert.ok(w.firing().includes('TelegramRpcStuck:warning'), `TelegramRpcStuck warns at 60 s: ${w.firing().join()}`);
    const broken = await body();
    assert.equal(broken.status, 'unhealthy');
    assert.equal(broken.decidedBy?.field, 'session.health.healthy');
    assert.deepEqual(broken.session?.health.sessionErrors, ['TRANSPORT_ERROR_404']);

    const started = Date.now();
    const { value: action } = await w.settlesWithin(monitor.checkNow(), checkDeadline(), 'checkNow()', started);
    assert.equal(action, 'failed_over', 'a forgotten auth key is fatal: recovery cannot fix it');
    assert.equal(monitor.sessionId, 'standby');
    assert.equal(client.connected, false, 'the old client was disconnected');
    await w.advance(1000);
    const after = await body();
    assert.equal(after.session?.id, 'standby');
    assert.equal(after.session?.health.healthy, true);
    assert.equal(after.status, 'healthy');
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 1);
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });

  it('a DC answering in 5 s: the latency shows in the metrics and /health/telegram, recovery settles in time', async () => {
    const client = w.newClient(w.dc.sessionString());
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const monitor = w.telemetry.monitorSession({ client });
    const slow = { 'rpc.method': 'help.GetNearestDc' };
    const before = await metricValue(METRIC_TELEGRAM_RPC_DURATION, slow);
    w.dc.on('help.GetNearestDc', () => delay(5000, new Api.NearestDc({ country: 'NL', thisDc: 2, nearestDc: 2 })));
    w.dc.on('users.GetUsers', () => delay(5000, [w.dc.self]));
    // The app calls every 10 s for two minutes; each call takes the DC's 5 s.
    for (let i = 0; i < 12; i++) {
      const { tookMs } = await w.settlesWithin(client.invoke(new Api.help.GetNearestDc()), 6000, 'a call to the slow DC');
      assert.ok(tookMs >= 5000 && tookMs < 6000, `${tookMs} ms`);
      await w.advance(5000);
    }
    assert.equal(await metricValue(METRIC_TELEGRAM_RPC_DURATION, slow), before + 12);
    const judged = await body();
    assert.ok(judged.metrics.messageLatency.slice(-12).every((ms) => ms >= 5000 && ms < 6000), String(judged.metrics.messageLatency));
    assert.equal(judged.status, 'unhealthy');
    assert.deepEqual([judged.decidedBy?.rule, judged.decidedBy?.field], ['TelegramRpcLatencyHigh', 'messageLatency']);

    const { value: action, tookMs } = await w.settlesWithin(monitor.checkNow(), checkDeadline(), 'checkNow()');
    assert.equal(action, 'recovered', 'a slow session is reconnected; a 5 s getMe is within the 30 s step deadline');
    assert.ok(tookMs >= 5000, 'the verification waited for the slow getMe');
    assert.equal(client.connected, true);
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });

  it('a flood storm: counted and judged, and neither recovery nor failover runs', async () => {
    const client = w.newClient(w.dc.sessionString());
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const pool = createMemorySessionPool([{ id: 'standby', session: w.dc.newSession() }]);
    const monitor = w.telemetry.monitorSession({ client, pool, createClient: (s) => w.newClient(s) });
    const slept = { 'rpc.method': 'help.GetNearestDc', 'telegram.flood.handling': 'auto_sleep' };
    const raised = { 'rpc.method': 'help.GetNearestDc', 'telegram.flood.handling': 'raised' };
    const [sleptBefore, raisedBefore] = [await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, slept), await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, raised)];
    // Every first attempt is told FLOOD_WAIT_30: GramJS sleeps 30 s (under floodSleepThreshold 60) and retries.
    w.dc.on('help.GetNearestDc', (_req, { callNumber }) => (callNumber % 2 === 1 ? rpcError('FLOOD_WAIT_30') : new Api.NearestDc({ country: 'NL', thisDc: 2, nearestDc: 2 })));
    for (let i = 0; i < 24; i++) await w.settlesWithin(client.invoke(new Api.help.GetNearestDc()), 31_000, 'a call GramJS slept through');
    // ...and a few waits above the threshold, which GramJS raises to the app.
    w.dc.on('messages.GetDialogFilters', () => rpcError('FLOOD_WAIT_600'));
    for (let i = 0; i < 3; i++) await assert.rejects(w.settlesWithin(client.invoke(new Api.messages.GetDialogFilters()), 1000, 'a raised flood wait'));
    assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, slept), sleptBefore + 24);
    assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, { 'rpc.method': 'messages.GetDialogFilters', 'telegram.flood.handling': 'raised' }), 3);
    assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, raised), raisedBefore);
    await w.advance(30_000);
    const judged = await body();
    assert.ok(judged.metrics.floodWait >= 27, `floodWait ${judged.metrics.floodWait}`);
    assert.equal(judged.status, 'unhealthy', 'over 20 flood waits in the hour is critical');
    assert.deepEqual([judged.decidedBy?.rule, judged.decidedBy?.field], ['TelegramFloodWaitsHigh', 'floodWait']);
    assert.deepEqual(w.firing(), ['TelegramFloodWaitsHigh:critical'], 'the slept waits are not latency (TelegramRpcLatencyHigh stays quiet)');
    assert.equal(judged.session?.health.healthy, true, 'the session itself is fine: slept flood waits are not latency');

    const { value: action } = await w.settlesWithin(monitor.checkNow(), checkDeadline(), 'checkNow()');
    assert.equal(action, 'none');
    assert.equal(monitor.stats.checks >= 2, true, 'the 5-minute checks ran during the storm too');
    assert.deepEqual([monitor.stats.recoveries, monitor.stats.failovers, pool.available()], [0, 0, 1]);
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });

  it('a server drop during failover: the failover settles in time and no auth key runs twice', async () => {
    const client = w.newClient(w.dc.sessionString());
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const pool = createMemorySessionPool([{ id: 'standby', session: w.dc.newSession() }]);
    const monitor = w.telemetry.monitorSession({ client, pool, createClient: (s) => w.newClient(s) });
    const lost = await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'connection_lost' });
    w.dc.once('users.GetUsers', () => {
      w.dc.drop(); // the standby's verification dies with every connection of the DC
      return delay(1000, [w.dc.self]);
    });
    const { value: action } = await w.settlesWithin(monitor.failover('test'), failoverDeadline(), 'failover()');
    await w.advance(5000);
    assert.ok((await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'connection_lost' })) > lost, 'the drop shows as lost connections');
    const after = await body();
    if (action === 'failed_over') {
      assert.equal(client.connected, false, 'the old client was let go');
      assert.equal(after.session?.id, 'standby');
    } else {
      assert.equal(action, 'failover_failed');
      assert.equal(after.session?.id, 'primary');
      assert.equal(pool.available(), 1, 'the standby went back to the pool');
    }
    assert.equal(after.session?.health.healthy, true, 'GramJS reconnected the session in use');
    assert.equal(after.status, 'healthy');
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 1);
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });

  it('the app destroys the client during recovery: the recovery ends at once, nothing reconnects it', async () => {
    const client = w.newClient(w.dc.sessionString());
    await w.settlesWithin(client.connect(), 5000, 'connect()');
    const monitor = w.telemetry.monitorSession({ client });
    w.dc.setReachable(false);
    const recovering = monitor.recover();
    await w.advance(10_000); // connect() is retrying every second
    assert.equal((await body()).status, 'unhealthy');
    await w.settlesWithin(client.destroy(), 5000, 'client.destroy()');
    const { value: action, tookMs } = await w.settlesWithin(recovering, recoverDeadline(), 'recover()', Date.now());
    assert.equal(action, 'abandoned');
    assert.ok(tookMs <= 500, `aborted at once, not at the next deadline (${tookMs} ms)`);
    const opened = w.dc.connections;
    w.dc.setReachable(true);
    await w.advance(60_000);
    assert.equal(client.connected, false);
    assert.equal(w.dc.connections, opened, 'no connection was opened for the destroyed client');
    const after = await body();
    assert.equal(after.sessions, undefined, 'a client the app gave up on leaves the report');
    assert.equal(after.status, 'healthy');
    assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 0, 'a DC nobody wants is not reported as up');
    assert.equal(w.dc.maxConcurrentPerSession, 1);
  });
});
