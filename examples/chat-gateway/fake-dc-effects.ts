import type { TelegramClient } from 'telegram';
import { delay, rpcError, type FakeAnswer } from '../../src/testing/index';
import type { FakeNetwork } from './service';
import type { PhaseLoad } from './scenario';

/**
 * Applies a phase's Telegram faults to the fake data centres: flood waits, a DC migration, a slow
 * DC, a dropped connection. Returns a function that takes the handlers off again.
 */
export async function applyFakeDcEffects(fake: FakeNetwork, client: TelegramClient, load: PhaseLoad): Promise<() => Promise<void>> {
  const { Api } = await import('telegram');
  let id = 1000;
  const sent = (): FakeAnswer => {
    id += 1;
    return new Api.UpdateShortSentMessage({ out: true, id, pts: id, ptsCount: 1, date: Math.floor(Date.now() / 1000) });
  };
  for (const dc of fake.dcs) {
    if (load.floodWaits) {
      // Every other send must wait a second; GramJS sleeps it off and retries (a real flood wait).
      dc.on('messages.SendMessage', (_req, ctx) => (ctx.callNumber % 2 === 0 ? rpcError('FLOOD_WAIT_1') : sent()));
    } else if (load.telegramLatencyMs) {
      const ms = load.telegramLatencyMs;
      dc.on('messages.SendMessage', () => delay(ms, sent()));
    }
  }
  let standby: Promise<void> | undefined;
  if (load.migrateDc) standby = loginStandby(fake, client);
  if (load.dropTelegram) {
    // The DCs refuse connections for a while, so GramJS's own reconnect gives up and the
    // connection stays down until the recovery procedure reconnects it.
    for (const dc of fake.dcs) dc.setReachable(false);
    fake.telegram.close();
    const t = setTimeout(() => { for (const dc of fake.dcs) dc.setReachable(true); }, load.unreachableMs ?? 2000);
    t.unref();
  }
  return async () => {
    await standby;
    for (const dc of fake.dcs) dc.off('messages.SendMessage');
  };
}

/**
 * A standby account logging in: its DC (4) answers PHONE_MIGRATE_2, so GramJS switches DC after a
 * real auth key exchange, as on Telegram. Counted in telegram.dc.migrations{reason=PHONE_MIGRATE}.
 */
async function loginStandby(fake: FakeNetwork, main: TelegramClient): Promise<void> {
  const { Api, TelegramClient: Client, sessions } = await import('telegram');
  const home = fake.dcs.find((d) => d.dcId !== main.session.dcId) ?? fake.dcs[1];
  const target = fake.dcs.find((d) => d !== home) ?? fake.dcs[0];
  const standby = new Client(new sessions.StringSession(''), 1, 'demo-api-hash', {
    connection: fake.telegram.Connection, connectionRetries: 1, baseLogger: main._log,
  });
  home.once('updates.GetState', () => rpcError('AUTH_KEY_UNREGISTERED'));
  home.once('auth.SendCode', () => rpcError(`PHONE_MIGRATE_${target.dcId}`));
  target.once('auth.SendCode', () => new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: 5 }), phoneCodeHash: 'demo' }));
  try {
    await standby.connect();
    await standby.invoke(new Api.auth.SendCode({ phoneNumber: '+19995550100', apiId: 1, apiHash: 'demo-api-hash', settings: new Api.CodeSettings({}) }));
  } catch {
    // The demo goes on; the summary shows whether the migration was counted.
  } finally {
    await standby.destroy().catch(() => undefined);
  }
}
