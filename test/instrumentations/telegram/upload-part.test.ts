import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import { CustomFile } from 'telegram/client/uploads';
import { METRIC_TELEGRAM_UPLOAD_PART_DURATION } from '../../../instrumentations/telegram/index';
import { setAccount } from '../../../instrumentations/telegram/accounts';
import { delay } from '../../../src/testing/index';
import { collectMetrics, fakeClient, instrument, metricDescriptor, metricValue } from './harness';

/** Count and sum (seconds) of the upload part histogram's points matching `match`. */
async function uploadParts(match: Record<string, unknown> = {}): Promise<{ count: number; sum: number }> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === METRIC_TELEGRAM_UPLOAD_PART_DURATION);
  let count = 0;
  let sum = 0;
  for (const p of (m?.dataPoints ?? []) as Array<{ attributes: Record<string, unknown>; value: { count: number; sum?: number } }>) {
    if (!Object.entries(match).every(([k, v]) => p.attributes[k] === v)) continue;
    count += p.value.count;
    sum += p.value.sum ?? 0;
  }
  return { count, sum };
}

// GramJS uploads parts with sender.send(), out of invoke's sight: the part round trips come from the send patch.
describe('Telegram upload part latency (fake DC, real GramJS uploadFile)', () => {
  let env: ReturnType<typeof fakeClient>;

  beforeEach(async () => {
    instrument();
    env = fakeClient();
    await env.client.connect();
  });

  afterEach(async () => {
    await env.client.destroy();
    env.telegram.close();
  });

  it('records one round trip per upload.SaveFilePart, as long as the DC took', async function () {
    this.timeout(10_000);
    const before = await uploadParts();
    env.dc.on('upload.SaveFilePart', () => delay(120, true));
    // 300 KB: three parts (GramJS cuts files under 100 MB into 128 KB parts).
    const file = await env.client.uploadFile({ file: new CustomFile('a.bin', 300 * 1024, '', Buffer.alloc(300 * 1024, 1)), workers: 1 });
    assert.ok(file instanceof Api.InputFile);
    assert.equal(env.dc.callCount('upload.SaveFilePart'), 3);
    const after = await uploadParts();
    assert.equal(after.count - before.count, 3, 'one point per part');
    assert.ok(after.sum - before.sum >= 3 * 0.11, `each part waited 120 ms on the DC (sum ${after.sum - before.sum} s)`);
    assert.ok(after.sum - before.sum < 3 * 2, 'and not much more');
    assert.equal((await metricDescriptor(METRIC_TELEGRAM_UPLOAD_PART_DURATION))?.unit, 's');
  });

  it('records upload.SaveBigFilePart parts of a file over 10 MB, per account', async function () {
    this.timeout(20_000);
    setAccount(env.client, 'uploader');
    const before = await metricValue(METRIC_TELEGRAM_UPLOAD_PART_DURATION, { 'telegram.account': 'uploader' });
    const size = 10 * 1024 * 1024 + 1;
    const file = await env.client.uploadFile({ file: new CustomFile('big.bin', size, '', Buffer.alloc(size, 2)), workers: 4 });
    assert.ok(file instanceof Api.InputFileBig);
    const parts = env.dc.callCount('upload.SaveBigFilePart');
    assert.ok(parts >= 2, `a big file goes up in SaveBigFilePart parts (${parts})`);
    assert.equal(await metricValue(METRIC_TELEGRAM_UPLOAD_PART_DURATION, { 'telegram.account': 'uploader' }), before + parts);
  });
});
