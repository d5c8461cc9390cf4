import { strict as assert } from 'node:assert';
import { start } from '../../../src/index';
import { HttpReceiver } from '../../helpers/http-receiver';
import { TempDir } from '../../helpers/temp-dir';

interface WebhookAlert { status: string; labels: Record<string, string>; annotations: Record<string, string> }

/**
 * Issue 21, item 5: "new error group since a release". The groups a release has seen are kept in
 * the alert journal, so restarting the same release does not alert every group as new again,
 * while a new release alerts once on each group new to it.
 */
describe('new error group alerts across restarts (alert journal)', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let webhook: HttpReceiver;
  let url: string;
  beforeEach(async () => {
    dir = new TempDir();
    webhook = new HttpReceiver();
    url = await webhook.start();
  });
  afterEach(async () => {
    await webhook.stop();
    dir.cleanup();
  });

  /** Starts the given release, tracks the errors, stops, and returns the new-group alerts that fired. */
  async function run(release: string, errors: string[]): Promise<string[]> {
    const before = webhook.requests.length;
    const t = await start({
      service: { name: 'release-test', version: release },
      exporters: { prometheus: { enabled: false } },
      rules: { enabled: false },
      logging: { level: 'silent' },
      alerting: { channels: { webhook: { url } }, groupWaitMs: 0, journal: { dir: dir.path } },
    });
    for (const e of errors) t.errors.track(new TypeError(e));
    await t.shutdown();
    return webhook.requests.slice(before)
      .flatMap((r) => (r.body as { alerts: WebhookAlert[] }).alerts)
      .filter((a) => a.labels.alertname === 'NewErrorGroup' && a.status === 'firing')
      .map((a) => /TypeError: (.*)$/.exec(a.annotations.summary)?.[1] ?? a.annotations.summary);
  }

  it('does not re-alert known groups after a restart of the same release, and alerts them again for a new release', async () => {
    assert.deepEqual(await run('1.0.0', ['cart is empty']), ['cart is empty']);
    assert.deepEqual(await run('1.0.0', ['cart is empty', 'coupon expired']), ['coupon expired'], 'a restart of 1.0.0 knows "cart is empty"');
    assert.deepEqual((await run('1.1.0', ['cart is empty', 'coupon expired'])).sort(), ['cart is empty', 'coupon expired'], 'new to 1.1.0');
    assert.deepEqual(await run('1.1.0', ['coupon expired']), []);
  });
});
