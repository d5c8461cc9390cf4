import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { METRIC_TELEGRAM_DC_MIGRATIONS } from '../../../instrumentations/telegram/index';
import { FakeTelegram, rpcError } from '../../../src/testing/index';
import { API_HASH, API_ID, instrument, metricValue } from './harness';

describe('TelegramInstrumentation (DC migration)', () => {
  it('counts a PHONE_MIGRATE during login as a migration 4 -> 2, after a real auth key exchange on both DCs', async function () {
    this.timeout(15_000);
    const { spans } = instrument();
    const telegram = new FakeTelegram();
    const home = telegram.addDataCenter({ dcId: 4 });
    const target = telegram.addDataCenter({ dcId: 2 });
    // A fresh login: no session yet, so GramJS creates an auth key with DC 4 (its default DC).
    const client = new TelegramClient(new StringSession(''), API_ID, API_HASH, {
      connection: telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    const match = { 'telegram.dc.from': 4, 'telegram.dc.to': 2, reason: 'PHONE_MIGRATE' };
    const before = await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, match);
    home.on('updates.GetState', () => rpcError('AUTH_KEY_UNREGISTERED')); // not logged in yet
    home.on('auth.SendCode', () => rpcError('PHONE_MIGRATE_2'));
    target.on('auth.SendCode', () => new Api.auth.SentCode({
      type: new Api.auth.SentCodeTypeApp({ length: 5 }), phoneCodeHash: 'fake-code-hash',
    }));
    try {
      await client.connect();
      assert.equal(home.authKeysCreated, 1, 'DH exchange with DC 4');
      const sent = await client.invoke(new Api.auth.SendCode({
        phoneNumber: '+19995550123', apiId: API_ID, apiHash: API_HASH, settings: new Api.CodeSettings({}),
      }));
      assert.ok(sent instanceof Api.auth.SentCode);
      assert.equal(target.authKeysCreated, 1, 'a new auth key with DC 2 after _switchDC');
      assert.equal(client.session.dcId, 2);
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_MIGRATIONS, match), before + 1);
      const span = spans.getFinishedSpans().find((s) => s.name === 'auth.SendCode');
      assert.ok(span);
      assert.deepEqual(span.events.map((e) => e.attributes?.['telegram.attempt.outcome']), ['PHONE_MIGRATE_2', 'ok']);
      assert.equal(span.attributes['telegram.dc'], 2, 'the span ends on the DC that answered');
      assert.equal(JSON.stringify({ a: span.attributes, e: span.events, s: span.status }).includes('19995550123'), false, 'the phone number is not in the span');
    } finally {
      await client.destroy();
      telegram.close();
    }
  });
});
