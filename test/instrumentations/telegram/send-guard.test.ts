import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import sinon from 'sinon';
import {
  METRIC_RATELIMIT_DECISIONS, POLICY_MESSAGES, POLICY_MESSAGES_PER_CHAT, POLICY_UPLOADS, POLICY_INVITES, SendGuardError, TelegramSendGuard, guardClient,
} from '../../../instrumentations/telegram/index';
import { DEFAULT_POLICIES } from '../../../src/config/index';
import { rpcError } from '../../../src/testing/index';
import { fakeClient, instrument, metricValue } from './harness';

const policies = (messages: number, perChat: number, windowMs: number) => ({
  [POLICY_MESSAGES]: { points: messages, durationMs: windowMs, mode: 'queue' as const },
  [POLICY_MESSAGES_PER_CHAT]: { points: perChat, durationMs: windowMs, mode: 'queue' as const },
  [POLICY_UPLOADS]: { points: 10, durationMs: windowMs, maxSizeBytes: 1000, mode: 'queue' as const },
  [POLICY_INVITES]: { points: 5, durationMs: windowMs, mode: 'queue' as const },
});

const refusedWith = (code: string) => (e: unknown) => e instanceof SendGuardError && e.code === code;

describe('TelegramSendGuard', () => {
  describe('#run', () => {
    it('uses the spec limits by default (30/min, 20 per chat/min, 10 uploads/min up to 50 MB, 50 invites/day)', async () => {
      assert.equal(DEFAULT_POLICIES[POLICY_MESSAGES].points, 30);
      assert.equal(DEFAULT_POLICIES[POLICY_MESSAGES_PER_CHAT].points, 20);
      assert.equal(DEFAULT_POLICIES[POLICY_UPLOADS].maxSizeBytes, 50 * 1024 * 1024);
      assert.equal(DEFAULT_POLICIES[POLICY_INVITES].points, 50);
      const guard = new TelegramSendGuard();
      let sent = 0;
      await assert.rejects(guard.run('upload', async () => { sent++; }, { sizeBytes: 50 * 1024 * 1024 + 1 }), refusedWith('FILE_TOO_LARGE'));
      await guard.run('upload', async () => { sent++; }, { sizeBytes: 50 * 1024 * 1024 });
      assert.equal(sent, 1, 'the refused upload was never sent');
      await assert.rejects(guard.run('invite', async () => undefined, { count: 51 }), refusedWith('OVER_LIMIT'));
    });

    it('queues sends over the per-chat limit until the window rolls over, in order', async () => {
      // A fake clock drives both the guard's sleep and rate-limiter-flexible's window.
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const guard = new TelegramSendGuard({ policies: policies(100, 2, 60_000) });
        const before = await metricValue(METRIC_RATELIMIT_DECISIONS, { 'ratelimit.policy': POLICY_MESSAGES_PER_CHAT, outcome: 'queued' });
        const order: Array<[number, number]> = [];
        const t0 = Date.now();
        const all = Promise.all([1, 2, 3].map((i) => guard.run('message', async () => { order.push([i, Date.now() - t0]); }, { chat: 42 })));
        await clock.tickAsync(61_000);
        await all;
        assert.deepEqual(order.map(([i]) => i), [1, 2, 3]);
        assert.ok(order[1][1] < 1000, 'the first two went at once');
        assert.ok(order[2][1] >= 59_000, `the third waited for the window (${order[2][1]} ms)`);
        assert.equal(await metricValue(METRIC_RATELIMIT_DECISIONS, { 'ratelimit.policy': POLICY_MESSAGES_PER_CHAT, outcome: 'queued' }), before + 1);
      } finally {
        clock.restore();
      }
    });

    it('does not delay sends to other chats when one chat is at its limit', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const guard = new TelegramSendGuard({ policies: policies(100, 1, 60_000) });
        const t0 = Date.now();
        await guard.run('message', async () => undefined, { chat: 'a' });
        await guard.run('message', async () => undefined, { chat: 'b' });
        assert.equal(Date.now() - t0, 0);
      } finally {
        clock.restore();
      }
    });

    it('refuses at once under a reject-mode policy, and when the queue is full', async () => {
      const guard = new TelegramSendGuard({ policies: {
        [POLICY_MESSAGES]: { points: 1, durationMs: 60_000 },
        [POLICY_INVITES]: { points: 1, durationMs: 60_000, mode: 'queue', maxQueueSize: 1 },
      } });
      await guard.run('message', async () => undefined);
      await assert.rejects(guard.run('message', async () => undefined), refusedWith('THROTTLED'));
      await guard.run('invite', async () => undefined);
      const waiting = guard.run('invite', async () => undefined);
      await assert.rejects(guard.run('invite', async () => undefined), refusedWith('QUEUE_FULL'));
      await guard.limits.close();
      void waiting.catch(() => undefined);
    });

    it('counts an album as its number of messages', async () => {
      const guard = new TelegramSendGuard({ policies: { [POLICY_MESSAGES]: { points: 10, durationMs: 60_000 } } });
      await guard.run('message', async () => undefined, { count: 8 });
      await guard.run('message', async () => undefined, { count: 2 });
      await assert.rejects(guard.run('message', async () => undefined), refusedWith('THROTTLED'));
    });

    it('charges one invite point per invited user', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const guard = new TelegramSendGuard({ policies: policies(10, 10, 60_000) });
        const t0 = Date.now();
        await guard.run('invite', async () => undefined, { count: 5 });
        assert.equal(Date.now() - t0, 0, 'five invites fit the 5-per-window policy');
        let done = false;
        const sixth = guard.run('invite', async () => { done = true; }, { count: 1 });
        await clock.tickAsync(30_000);
        assert.equal(done, false, 'the sixth invite waits for the window');
        await clock.tickAsync(31_000);
        await sixth;
        assert.equal(done, true);
      } finally {
        clock.restore();
      }
    });
  });

  describe('guardClient', () => {
    it('keeps a real client under the limit so the DC never answers FLOOD_WAIT', async function () {
      this.timeout(10_000);
      instrument();
      const env = fakeClient();
      await env.client.connect();
      const guard = new TelegramSendGuard({ policies: policies(3, 3, 300) });
      const unguard = guardClient(env.client, guard);
      // The DC answers FLOOD_WAIT above 6 sends in any 300 ms (a fixed-window guard of 3 per 300 ms
      // can put 3 at the end of one window and 3 at the start of the next, never more).
      const sentAt: number[] = [];
      env.dc.on('messages.SendMessage', () => {
        const now = Date.now();
        sentAt.push(now);
        const recent = sentAt.filter((t) => now - t < 300).length;
        return recent > 6 ? rpcError('FLOOD_WAIT_1')
          : new Api.UpdateShortSentMessage({ out: true, id: sentAt.length, pts: 1, ptsCount: 1, date: 1 });
      });
      try {
        const t0 = Date.now();
        for (let i = 0; i < 7; i++) await env.client.sendMessage('me', { message: `m${i}` });
        assert.equal(sentAt.length, 7, 'no FLOOD_WAIT, so no retried send');
        assert.ok(Date.now() - t0 >= 250, 'later sends were queued into the next windows');
        for (let i = 6; i < sentAt.length; i++) assert.ok(sentAt[i] - sentAt[i - 6] >= 250, 'never more than 6 in 300 ms');
      } finally {
        unguard();
        await env.client.destroy();
        env.telegram.close();
      }
    });
  });
});
