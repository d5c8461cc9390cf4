import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { createRateLimits } from '../../src/limits/index';
import { getTelemetry, start } from '../../src/index';
import { rateLimitsConfig, pointValue } from '../src/limits/helpers';
import { guardClient, POLICY_INVITES, POLICY_MESSAGES, POLICY_UPLOADS, SendGuardError, TelegramSendGuard } from '../../instrumentations/telegram/index';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/send-guard-queued.cjs');
const refusedWith = (code: string) => (e: unknown) => e instanceof SendGuardError && e.code === code;

type Request = { className: string; [k: string]: unknown };

/** A stand-in for a GramJS client: invoke records requests; sendFile ends in SendMedia, as GramJS's does. */
function fakeClient() {
  const invoked: string[] = [];
  const files: unknown[] = [];
  const client = {
    async invoke(request: Request): Promise<unknown> {
      invoked.push(request.className);
      return request.className;
    },
    async sendFile(_entity: unknown, params: { file?: unknown }): Promise<unknown> {
      files.push(params.file);
      return this.invoke({ className: 'messages.SendMedia', peer: { userId: 7 } });
    },
  };
  return { client, invoked, files };
}

// Issue 19 item 7: the send guard ignored configured policies, never saw a file size through
// guardClient, let a script exit with sends still queued, did not guard AddChatUser and
// ImportContacts, and counted an album as one message.
describe('regression: Telegram send guard (issue 19 item 7)', () => {
  afterEach(async () => getTelemetry()?.shutdown());

  it('telemetry.telegram.sendGuard() honours the configured telegram.* policies', async () => {
    const t = await start({ service: { name: 'sendguard-policies' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      shutdown: { handleSignals: false }, rules: { enabled: false }, instrumentations: { ws: { enabled: false } },
      rateLimits: { policies: { [POLICY_MESSAGES]: { points: 1, durationMs: 60_000 } } } });
    const guard = t.telegram!.sendGuard();
    await guard.run('message', async () => undefined);
    await assert.rejects(guard.run('message', async () => undefined), refusedWith('THROTTLED'));
  });

  it('guardClient checks the real file size of sendFile against the 50 MB limit, and charges the upload once', async () => {
    const reg = new HotMetricRegistry();
    const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
    const { client, invoked, files } = fakeClient();
    const unguard = guardClient(client, new TelegramSendGuard({ limits }));
    const big = { name: 'big.bin', size: 50 * 1024 * 1024 + 1 };
    await assert.rejects(client.sendFile('me', { file: big }), refusedWith('FILE_TOO_LARGE'));
    assert.deepEqual(files, [], 'the upload never started');
    await client.sendFile('me', { file: Buffer.alloc(1024) });
    assert.deepEqual(invoked, ['messages.SendMedia']);
    assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': POLICY_UPLOADS, outcome: 'allowed' }), 1, 'one upload point, not two');
    assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': POLICY_UPLOADS, outcome: 'throttled' }), 1);
    unguard();
  });

  it('keeps a script alive while sends are queued: all 3 go out', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [FIXTURE], { timeout: 10_000 });
    assert.equal(stdout.trim(), 'sent 3');
  });

  it('guards messages.AddChatUser and contacts.ImportContacts as invites, one point per user', async () => {
    const limits = createRateLimits({ config: rateLimitsConfig({ policies: { [POLICY_INVITES]: { points: 3, durationMs: 60_000 } } }), metrics: new HotMetricRegistry() });
    const { client, invoked } = fakeClient();
    guardClient(client, new TelegramSendGuard({ limits }));
    await client.invoke({ className: 'contacts.ImportContacts', contacts: [1, 2] });
    await client.invoke({ className: 'messages.AddChatUser', chatId: 1, userId: 2 });
    await assert.rejects(client.invoke({ className: 'messages.AddChatUser', chatId: 1, userId: 3 }), refusedWith('THROTTLED'));
    assert.deepEqual(invoked, ['contacts.ImportContacts', 'messages.AddChatUser']);
  });

  it('counts an album as its number of messages', async () => {
    const limits = createRateLimits({ config: rateLimitsConfig({ policies: { [POLICY_MESSAGES]: { points: 4, durationMs: 60_000 } } }), metrics: new HotMetricRegistry() });
    const { client } = fakeClient();
    guardClient(client, new TelegramSendGuard({ limits }));
    await client.invoke({ className: 'messages.SendMultiMedia', peer: { userId: 1 }, multiMedia: [1, 2, 3] });
    await client.invoke({ className: 'messages.SendMessage', peer: { userId: 1 } });
    await assert.rejects(client.invoke({ className: 'messages.SendMessage', peer: { userId: 1 } }), refusedWith('THROTTLED'));
  });
});
