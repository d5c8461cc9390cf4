import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import {
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_RECONNECTS, METRIC_TELEGRAM_UPDATES, METRIC_TELEGRAM_UPDATES_AGE,
} from '../../../instrumentations/telegram/index';
import { collectMetrics, fakeClient, instrument, metricValue } from './harness';
import { until } from '../../helpers/poll';

async function gauge(name: string, dc?: number): Promise<number | undefined> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === name);
  const p = (m?.dataPoints as Array<{ attributes: Record<string, unknown>; value: number }> | undefined)
    ?.find((d) => dc === undefined || d.attributes['telegram.dc'] === dc);
  return p?.value;
}

describe('TelegramInstrumentation (connection and updates)', () => {
  let env: ReturnType<typeof fakeClient>;

  beforeEach(async () => {
    instrument();
    env = fakeClient({ dcId: 4 });
    await env.client.connect();
  });

  afterEach(async () => {
    await env.client.destroy();
    env.telegram.close();
  });

  describe('updates', () => {
    it('counts pushed updates by their inner type and resets the staleness gauge', async () => {
      const before = await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdateUserTyping' });
      const tooLong = await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdatesTooLong' });
      env.dc.pushUpdate(new Api.UpdateShort({
        update: new Api.UpdateUserTyping({ userId: returnBigInt(5), action: new Api.SendMessageTypingAction() }), date: 1,
      }));
      env.dc.pushUpdate(new Api.Updates({
        updates: [
          new Api.UpdateUserTyping({ userId: returnBigInt(6), action: new Api.SendMessageTypingAction() }),
          new Api.UpdateUserTyping({ userId: returnBigInt(7), action: new Api.SendMessageCancelAction() }),
        ],
        users: [], chats: [], date: 1, seq: 0,
      }));
      env.dc.pushUpdate(new Api.UpdatesTooLong());
      await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdateUserTyping' })) === before + 3, 'three UpdateUserTyping updates to be counted');
      assert.equal(await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdatesTooLong' }), tooLong + 1);
      const age = await gauge(METRIC_TELEGRAM_UPDATES_AGE);
      assert.ok(age !== undefined && age < 1, `update age ${age} s right after an update`);
    });
  });

  describe('connection', () => {
    it('reports the DC as connected, then counts a drop as a reconnect and recovers', async function () {
      this.timeout(10_000);
      assert.equal(await gauge(METRIC_TELEGRAM_CONNECTION_STATE, 4), 1);
      const before = await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'connection_lost' });
      env.dc.drop();
      await until(async () => (await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'connection_lost' })) === before + 1, 'a connection_lost reconnect to be counted');
      assert.equal(await gauge(METRIC_TELEGRAM_CONNECTION_STATE, 4), 0, 'down while GramJS waits before reconnecting');
      // GramJS waits 1 s before reconnecting, then the client works again on a new connection.
      await until(() => env.dc.connections === 2, 'GramJS to reconnect on a second connection');
      const state = await env.client.invoke(new Api.updates.GetState());
      assert.ok(state instanceof Api.updates.State);
      assert.equal(await gauge(METRIC_TELEGRAM_CONNECTION_STATE, 4), 1);
    });

    it('counts a reconnect started while the socket still looks up (the keep-alive failure path) as keepalive_timeout', async function () {
      this.timeout(10_000);
      const before = await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'keepalive_timeout' });
      env.dc.stopAnsweringPings();
      // What GramJS's update loop does after three unanswered pings (9 s apart, 10 s timeout each).
      env.client._sender!.reconnect();
      assert.equal(await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'keepalive_timeout' }), before + 1);
      env.dc.resumeAnsweringPings();
      await until(() => env.dc.connections === 2, 'GramJS to reconnect on a second connection');
      assert.ok((await env.client.invoke(new Api.updates.GetState())) instanceof Api.updates.State);
    });

    it('records keep-alive ping round trips as telegram.dc.rtt for the DC', async () => {
      const before = await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 4 });
      // What GramJS's update loop sends every 9 s.
      await env.client._sender!.send(new Api.PingDelayDisconnect({ pingId: returnBigInt(1), disconnectDelay: 60 }));
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 4 }), before + 1);
    });
  });
});
