import type { TelegramClient } from 'telegram';
import { delay, rpcError, type FakeAnswer } from '../../src/testing/index';
import type { FakeNetwork } from './service';
import type { PhaseLoad } from './scenario';

/**
 * Applies a phase's Telegram faults to the fake data centres: flood waits, a DC migration, a slow
 * DC, a dropped connection. Returns a function that takes the handlers off again.
 */
export async function applyFakeDcEffects(fake: FakeNetwork, client: TelegramClient, load: PhaseLoad): Promise<() => void> {
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
  if (load.migrateDc) {
    const current = fake.dcs.find((d) => d.dcId === client.session.dcId) ?? fake.dcs[0];
    const target = fake.dcs.find((d) => d !== current) ?? current;
    current.once('messages.SendMessage', () => rpcError(`USER_MIGRATE_${target.dcId}`));
  }
  if (load.dropTelegram) fake.telegram.close();
  return () => {
    for (const dc of fake.dcs) dc.off('messages.SendMessage');
  };
}
