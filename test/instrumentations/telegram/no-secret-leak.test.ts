import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { returnBigInt } from 'telegram/Helpers';
import { TelegramHealth, TelegramSessionMonitor, createMemorySessionPool } from '../../../instrumentations/telegram/index';
import { createLogger } from '../../../src/logging/index';
import { rpcError } from '../../../src/testing/index';
import { LogCapture } from '../../helpers/log-capture';
import { API_HASH, API_ID, collectMetrics, fakeClient, instrument } from './harness';
import { until } from '../../helpers/poll';

describe('Telegram instrumentation privacy', () => {
  it('never puts a StringSession, an auth key or the api_hash in a span, metric, log line or health report', async function () {
    this.timeout(15_000);
    const { spans } = instrument();
    const env = fakeClient({ floodSleepThreshold: 2 });
    const standby = env.dc.newSession();
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: logs });
    const clients: TelegramClient[] = [env.client];
    const monitor = new TelegramSessionMonitor({
      client: env.client, logger, sleep: async () => {},
      pool: createMemorySessionPool([{ id: 'standby-1', session: standby }]),
      createClient: (s) => {
        const c = new TelegramClient(new StringSession(s), API_ID, API_HASH, { connection: env.telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE) });
        clients.push(c);
        return c;
      },
    });
    try {
      // A full session: connect, calls, a slept flood wait, a raised one, updates, a drop, a revoked key, failover.
      await env.client.connect();
      await env.client.getMe();
      await env.client.sendMessage('me', { message: 'hello' });
      env.dc.once('messages.SendMessage', () => rpcError('FLOOD_WAIT_1'));
      await env.client.sendMessage('me', { message: 'again' });
      env.dc.once('messages.SendMessage', () => rpcError('FLOOD_WAIT_30'));
      await assert.rejects(env.client.sendMessage('me', { message: 'raised' }));
      env.dc.pushUpdate(new Api.UpdateShort({ update: new Api.UpdateUserTyping({ userId: returnBigInt(9), action: new Api.SendMessageTypingAction() }), date: 1 }));
      env.dc.drop();
      await until(() => env.dc.connections >= 2, 'GramJS to reconnect after the drop');
      await env.client.invoke(new Api.updates.GetState());
      env.dc.revoke(env.session);
      const err = await env.client.invoke(new Api.updates.GetState()).catch((e: unknown) => e);
      // What an application typically logs: the error, and (by mistake) the session and the hash.
      logger.error({ err }, 'telegram call failed');
      logger.warn(`session ${env.session} with hash ${API_HASH} is broken`);
      logger.info({ session: standby, apiHash: API_HASH }, 'standby configured');
      assert.equal(await monitor.checkNow(), 'failed_over');
      await monitor.client.invoke(new Api.updates.GetState());
      const report = await new TelegramHealth().report();

      const secrets = [env.session, standby, API_HASH, env.dc.authKey.toString('hex'), env.dc.authKey.toString('base64'), env.session.slice(1, 60)];
      const haystacks: Record<string, string> = {
        spans: JSON.stringify(spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status }))),
        metrics: JSON.stringify(await collectMetrics()),
        logs: logs.text,
        health: JSON.stringify(report),
      };
      assert.ok(spans.getFinishedSpans().length >= 5, 'the session produced spans');
      assert.ok(logs.lines.length >= 4, 'the session produced log lines');
      for (const [where, text] of Object.entries(haystacks)) {
        for (const secret of secrets) assert.equal(text.includes(secret), false, `a secret leaked into ${where}`);
      }
      assert.match(logs.text, /\[REDACTED\]/);
    } finally {
      monitor.stop();
      for (const c of clients) await c.destroy();
      env.telegram.close();
    }
  });
});
