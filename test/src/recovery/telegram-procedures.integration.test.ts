import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';
import { fakeClient } from '../../instrumentations/telegram/harness';

describe('built-in Telegram recovery procedures', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('telegram.reconnect reconnects a dropped, monitored client through the fake DC', async () => {
    const t = await start({ service: { name: 'tg-recovery' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } }, rules: { enabled: false } });
    assert.ok(t.recovery.has('telegram.reconnect'));
    assert.ok(t.recovery.has('telegram.failover'));
    const env = fakeClient();
    await env.client.connect();
    t.telegram?.monitorSession({ client: env.client, sleep: async () => {} });
    await env.client.disconnect();
    assert.equal(env.client.connected, false);
    const run = await t.recovery.run('telegram.reconnect', { reason: 'TelegramDisconnected' });
    assert.equal(run.outcome, 'succeeded', run.error);
    assert.equal(env.client.connected, true);
    assert.deepEqual(run.steps.map((s) => s.name), ['reconnect session 1']);
    await env.client.disconnect();
  });

  it('fails clearly when no session is monitored', async () => {
    const t = await start({ service: { name: 'tg-recovery-none' }, logging: { level: 'silent' }, exporters: { prometheus: { enabled: false } }, rules: { enabled: false } });
    const run = await t.recovery.run('telegram.reconnect');
    assert.equal(run.outcome, 'failed');
    assert.match(run.error ?? '', /no Telegram session is monitored/);
  });
});
