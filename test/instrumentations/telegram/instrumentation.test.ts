import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import { errors } from 'telegram';
import { CustomFile } from 'telegram/client/uploads';
import {
  EVENT_ATTEMPT, EVENT_FLOOD_SLEEP, METRIC_TELEGRAM_FLOOD_WAITS, METRIC_TELEGRAM_FLOOD_WAIT_DURATION, METRIC_TELEGRAM_RPC_DURATION,
  METRIC_TELEGRAM_RPC_ERRORS, METRIC_TELEGRAM_SESSION_ERRORS,
} from '../../../instrumentations/telegram/index';
import { rpcError } from '../../../src/testing/index';
import { fakeClient, instrument, metricDescriptor, metricValue } from './harness';

const send = (message: string) => new Api.messages.SendMessage({ peer: new Api.InputPeerSelf(), message, randomId: BigInt(Date.now()) as never });

describe('TelegramInstrumentation', () => {
  let env: ReturnType<typeof fakeClient>;
  let spans: ReturnType<typeof instrument>['spans'];

  beforeEach(async () => {
    spans = instrument().spans;
    env = fakeClient({ floodSleepThreshold: 2 });
    await env.client.connect();
  });

  afterEach(async () => {
    await env.client.destroy();
    env.telegram.close();
  });

  describe('#invoke', () => {
    it('records a span and a duration named by the TL method and DC', async () => {
      const before = await metricValue(METRIC_TELEGRAM_RPC_DURATION, { 'rpc.method': 'messages.SendMessage', 'telegram.dc': 2 });
      await env.client.invoke(send('hello'));
      const span = spans.getFinishedSpans().find((s) => s.name === 'messages.SendMessage');
      assert.ok(span, 'a span named messages.SendMessage');
      assert.equal(span.attributes['rpc.method'], 'messages.SendMessage');
      assert.equal(span.attributes['rpc.system'], 'telegram');
      assert.equal(span.attributes['telegram.dc'], 2);
      assert.deepEqual(span.events.map((e) => [e.name, e.attributes?.['telegram.attempt'], e.attributes?.['telegram.attempt.outcome']]), [[EVENT_ATTEMPT, 1, 'ok']]);
      assert.equal(await metricValue(METRIC_TELEGRAM_RPC_DURATION, { 'rpc.method': 'messages.SendMessage', 'telegram.dc': 2 }), before + 1);
      const d = await metricDescriptor(METRIC_TELEGRAM_RPC_DURATION);
      assert.equal(d?.unit, 's');
    });

    it('shows a silently slept FLOOD_WAIT as attempt 1 FLOOD_WAIT_1, a sleep event and attempt 2', async () => {
      const match = { 'rpc.method': 'messages.SendMessage', 'telegram.flood.kind': 'FLOOD_WAIT', 'telegram.flood.handling': 'auto_sleep' };
      const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match);
      const beforeDuration = await metricValue(METRIC_TELEGRAM_FLOOD_WAIT_DURATION, { 'telegram.flood.kind': 'FLOOD_WAIT' });
      env.dc.once('messages.SendMessage', () => rpcError('FLOOD_WAIT_1'));
      const t0 = Date.now();
      await env.client.invoke(send('slept'));
      assert.ok(Date.now() - t0 >= 900, 'GramJS really slept the flood wait');
      const span = spans.getFinishedSpans().find((s) => s.name === 'messages.SendMessage');
      assert.ok(span);
      assert.deepEqual(span.events.map((e) => [e.name, e.attributes?.['telegram.attempt'] ?? e.attributes?.['telegram.flood.seconds']]),
        [[EVENT_ATTEMPT, 1], [EVENT_FLOOD_SLEEP, 1], [EVENT_ATTEMPT, 2]]);
      assert.equal(span.events[0].attributes?.['telegram.attempt.outcome'], 'FLOOD_WAIT_1');
      assert.equal(span.status.code, 0, 'the call itself succeeded');
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match), before + 1);
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAIT_DURATION, { 'telegram.flood.kind': 'FLOOD_WAIT' }), beforeDuration + 1);
      assert.equal((await metricDescriptor(METRIC_TELEGRAM_FLOOD_WAITS))?.unit, '{wait}');
    });

    it('counts a flood wait above floodSleepThreshold as raised and fails the span', async () => {
      const match = { 'rpc.method': 'messages.SendMessage', 'telegram.flood.kind': 'FLOOD_WAIT', 'telegram.flood.handling': 'raised' };
      const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match);
      env.dc.once('messages.SendMessage', () => rpcError('FLOOD_WAIT_300'));
      await assert.rejects(env.client.invoke(send('raised')), (e: unknown) => e instanceof errors.FloodWaitError && e.seconds === 300);
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match), before + 1);
      const span = spans.getFinishedSpans().find((s) => s.name === 'messages.SendMessage');
      assert.equal(span?.status.code, 2);
      assert.equal(span?.attributes['error.type'], 'FLOOD_WAIT');
      assert.equal(await metricValue(METRIC_TELEGRAM_RPC_DURATION, { 'rpc.method': 'messages.SendMessage', 'error.type': 'FLOOD_WAIT' }) > 0, true);
    });

    it('keeps the raw kind of FLOOD_PREMIUM_WAIT that GramJS folds into a plain FloodWaitError', async () => {
      const match = { 'telegram.flood.kind': 'FLOOD_PREMIUM_WAIT', 'telegram.flood.handling': 'raised' };
      const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match);
      env.dc.once('messages.SendMessage', () => rpcError('FLOOD_PREMIUM_WAIT_7'));
      await assert.rejects(env.client.invoke(send('premium')), (e: unknown) => e instanceof errors.FloodWaitError);
      // 7 s is above the test client's threshold of 2 s, so GramJS raised it.
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match), before + 1);
    });

    it('counts SLOWMODE_WAIT as raised whatever the threshold (GramJS never sleeps it)', async () => {
      const match = { 'telegram.flood.kind': 'SLOWMODE_WAIT', 'telegram.flood.handling': 'raised' };
      const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match);
      env.dc.once('messages.SendMessage', () => rpcError('SLOWMODE_WAIT_1'));
      await assert.rejects(env.client.invoke(send('slow')));
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match), before + 1);
    });

    it('counts a flood wait on an upload part as upload_sleep (GramJS sleeps those whatever the threshold)', async function () {
      this.timeout(10_000);
      const match = { 'rpc.method': 'upload.SaveFilePart', 'telegram.flood.kind': 'FLOOD_WAIT', 'telegram.flood.handling': 'upload_sleep' };
      const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match);
      env.dc.once('upload.SaveFilePart', () => rpcError('FLOOD_WAIT_1'));
      const file = await env.client.uploadFile({ file: new CustomFile('a.txt', 10, '', Buffer.from('0123456789')), workers: 1 });
      assert.ok(file instanceof Api.InputFile);
      assert.equal(env.dc.callCount('upload.SaveFilePart'), 2, 'the part was sent again after the sleep');
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, match), before + 1);
    });

    it('classifies AUTH_KEY_UNREGISTERED as a session error by code', async () => {
      const before = await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'AUTH_KEY_UNREGISTERED' });
      const beforeRpc = await metricValue(METRIC_TELEGRAM_RPC_ERRORS, { 'rpc.method': 'updates.GetState', 'telegram.error': 'AUTH_KEY_UNREGISTERED' });
      env.dc.once('updates.GetState', () => rpcError('AUTH_KEY_UNREGISTERED'));
      await assert.rejects(env.client.invoke(new Api.updates.GetState()), (e: unknown) => e instanceof errors.RPCError && e.code === 401);
      assert.equal(await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'AUTH_KEY_UNREGISTERED' }), before + 1);
      assert.equal(await metricValue(METRIC_TELEGRAM_RPC_ERRORS, { 'rpc.method': 'updates.GetState', 'telegram.error': 'AUTH_KEY_UNREGISTERED' }), beforeRpc + 1);
    });

    it('reports USER_DEACTIVATED_BAN and AUTH_KEY_DUPLICATED under their own codes', async () => {
      for (const code of ['USER_DEACTIVATED_BAN', 'AUTH_KEY_DUPLICATED']) {
        const before = await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': code });
        env.dc.once('updates.GetState', () => rpcError(code));
        await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        assert.equal(await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': code }), before + 1, code);
      }
    });

    it('ignores a throwing onRpc hook and counts it as an internal error', async () => {
      const { instrumentation } = instrument();
      const before = await metricValue('pulseguard.internal.errors', { component: 'telegram.onRpc' });
      const seen: string[] = [];
      instrumentation.setConfig({ onRpc: (info) => { seen.push(info.method); throw new Error('hook bug'); } });
      try {
        const state = await env.client.invoke(new Api.updates.GetState());
        assert.ok(state instanceof Api.updates.State, 'the call still succeeds');
        assert.deepEqual(seen, ['updates.GetState']);
        assert.equal(await metricValue('pulseguard.internal.errors', { component: 'telegram.onRpc' }), before + 1);
      } finally {
        instrumentation.setConfig({});
      }
    });

    it('passes results and library errors through unchanged', async () => {
      const state = await env.client.invoke(new Api.updates.GetState());
      assert.ok(state instanceof Api.updates.State);
      env.dc.once('updates.GetState', () => rpcError('PEER_ID_INVALID'));
      await assert.rejects(env.client.invoke(new Api.updates.GetState()), (e: unknown) => e instanceof errors.RPCError && e.errorMessage === 'PEER_ID_INVALID' && e.code === 400);
    });
  });
});
