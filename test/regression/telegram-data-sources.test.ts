import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { METRIC_TELEGRAM_DC_MIGRATIONS, METRIC_TELEGRAM_DC_RTT, TelegramHealth } from '../../instrumentations/telegram/index';
import { TelegramCollectors } from '../../instrumentations/telegram/collectors';
import { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import * as pulseguard from '../../src/index';
import { FakeTelegram, rpcError } from '../../src/testing/index';
import { API_HASH, API_ID, fakeClient, instrument, metricValue } from '../instrumentations/telegram/harness';
import { until } from '../helpers/poll';

// Issue 19, items 6, 9, 10 and 11: the data behind the metrics and /health/telegram.
describe('regression: Telegram data sources', () => {
  beforeEach(() => {
    instrument();
  });

  it('counts FILE_MIGRATE, and a later DC switch is not labelled with it (item 6)', async function () {
    this.timeout(15_000);
    const telegram = new FakeTelegram();
    const dc2 = telegram.addDataCenter({ dcId: 2 });
    telegram.addDataCenter({ dcId: 4 });
    // A fresh login (no key yet), so a DC switch runs a real key exchange instead of -404.
    const client = new TelegramClient(new StringSession(''), API_ID, API_HASH, {
      connection: telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    client.session.setDC(2, dc2.ipAddress, dc2.port);
    const fileMigrations = { 'telegram.dc.from': 2, 'telegram.dc.to': 4, reason: 'FILE_MIGRATE' };
    const manual = { 'telegram.dc.from': 2, 'telegram.dc.to': 4, reason: 'manual' };
    const before = await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, fileMigrations);
    const manualBefore = await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, manual);
    try {
      await client.connect();
      dc2.once('upload.GetFile', () => rpcError('FILE_MIGRATE_4'));
      const getFile = new Api.upload.GetFile({
        location: new Api.InputDocumentFileLocation({ id: 1n as never, accessHash: 2n as never, fileReference: Buffer.alloc(0), thumbSize: '' }),
        offset: 0n as never, limit: 1024,
      });
      await assert.rejects(client.invoke(getFile), /stored in DC 4/); // downloads follow it with an exported sender
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, fileMigrations), before + 1);
      await client._switchDC(4);
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, manual), manualBefore + 1, 'the switch is manual, not FILE_MIGRATE');
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, fileMigrations), before + 1);
    } finally {
      await client.destroy();
      telegram.close();
    }
  });

  it('does not record a keep-alive ping re-sent after a reconnect as a round trip (item 9)', async function () {
    this.timeout(15_000);
    const env = fakeClient();
    await env.client.connect();
    try {
      const rtts = await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 2 });
      env.dc.stopAnsweringPings();
      const ping = env.client._sender!.send(new Api.PingDelayDisconnect({ pingId: 77n as never, disconnectDelay: 75 }));
      await new Promise((r) => setTimeout(r, 50));
      env.dc.resumeAnsweringPings();
      env.dc.drop(); // GramJS reconnects and re-sends the pending ping
      await ping;
      await until(async () => env.client.connected === true, 'the client to reconnect', 5000);
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 2 }), rtts, 'the outage is not a round trip');
      await env.client._sender!.send(new Api.PingDelayDisconnect({ pingId: 78n as never, disconnectDelay: 75 }));
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 2 }), rtts + 1, 'a fresh ping still counts');
    } finally {
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('forgets call latencies older than five minutes, so an idle account\'s figures recover (item 10)', async () => {
    let now = 1_000_000;
    const collectors = new TelegramCollectors(new HotMetricRegistry(), () => now);
    const health = new TelegramHealth(collectors);
    collectors.recordLatencyMs(20_000); // a call stuck during an outage
    assert.deepEqual((await health.report()).metrics.messageLatency, [20_000]);
    now += 5 * 60_000 + 1;
    const report = await health.report();
    assert.deepEqual(report.metrics.messageLatency, []);
  });

  it('exports createMemorySessionPool from the package entry (item 11)', async () => {
    assert.equal(typeof pulseguard.createMemorySessionPool, 'function');
    const pool = pulseguard.createMemorySessionPool([{ id: 'a', session: '1fake-session-string-for-the-pool-test' }]);
    assert.equal((await pool.acquire())?.id, 'a');
    assert.equal(await pool.acquire(), undefined);
  });
});
