import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChildApp, cleanEnv } from '../../../helpers/child-app';
import { HttpReceiver } from '../../../helpers/http-receiver';
import { eventually } from '../../../helpers/poll';
import { TempDir } from '../../../helpers/temp-dir';

// Source fixtures are not compiled: from dist/test/src/alerting/journal back to test/fixtures.
const FIXTURE = resolve(__dirname, '../../../../../test/fixtures/journal-app.cjs');

interface WebhookAlert { status: string; labels: Record<string, string>; annotations: Record<string, string> }

/** `alertname/status` of every alert the receiver got, in arrival order. */
function received(r: HttpReceiver, from = 0): string[] {
  return r.requests.slice(from).flatMap((q) => (q.body as { alerts: WebhookAlert[] }).alerts.map((a) => `${a.labels.alertname}/${a.status}`));
}

function journalText(dir: TempDir): string {
  try {
    return readFileSync(join(dir.path, 'journal-fixture.journal.json'), 'utf8');
  } catch {
    return '';
  }
}

describe('alert journal across a SIGKILL and a restart (out of process)', function () {
  this.timeout(90_000);
  let dir: TempDir;
  let webhook: HttpReceiver;
  let url: string;
  const apps: ChildApp[] = [];
  const app = (): ChildApp => {
    const a = new ChildApp([FIXTURE], { cwd: dir.path, env: cleanEnv({ JOURNAL_DIR: dir.path, WEBHOOK_URL: `${url}/hook` }) });
    apps.push(a);
    return a;
  };
  const lines = (a: ChildApp, marker: string): number => a.stdout.split('\n').filter((l) => l.startsWith(`${marker} `)).length;

  beforeEach(async () => {
    dir = new TempDir();
    webhook = new HttpReceiver();
    url = await webhook.start();
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    await webhook.stop();
    dir.cleanup();
  });

  it('delivers the resolve the outage owed, and a notification pending before the kill exactly once', async () => {
    const first = app();
    await first.waitForLine('ready');
    first.child.stdin.write('track\n');
    await eventually(() => (lines(first, 'evaluated') >= 1 ? true : undefined), 'the first evaluation', 20_000);
    await webhook.waitFor(1);
    assert.deepEqual(received(webhook), ['ErrorsSeen/firing']);

    // The channel goes down; a second alert fires and its notification cannot be delivered.
    webhook.status = 503;
    first.child.stdin.write('track\n');
    await eventually(() => (lines(first, 'evaluated') >= 2 ? true : undefined), 'the second evaluation', 20_000);
    await eventually(() => (/"queued":\[\{"channel":"webhook".*"ErrorsMany"/.test(journalText(dir)) ? true : undefined), 'the pending notification in the journal', 20_000);
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, null, 'killed, no shutdown ran');

    // Back up; the new process starts with a fresh counter, so both conditions have cleared.
    webhook.status = 200;
    const before = webhook.requests.length;
    const second = app();
    await second.waitForLine('ready');
    await eventually(() => (received(webhook, before).length >= 3 ? true : undefined), 'the pending notification and two resolves', 20_000);
    // Give a duplicate every chance to show up before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const after = received(webhook, before);
    assert.deepEqual([...after].sort(), ['ErrorsMany/firing', 'ErrorsMany/resolved', 'ErrorsSeen/resolved'], after.join(', '));
    assert.ok(after.indexOf('ErrorsMany/firing') < after.indexOf('ErrorsMany/resolved'), `in order: ${after.join(', ')}`);
    assert.deepEqual(received(webhook).filter((a) => a === 'ErrorsSeen/firing'), ['ErrorsSeen/firing'], 'ErrorsSeen was not announced again');
    assert.equal(await second.stop(), 0);
  });

  it('sends at the next start the crash alert that could not be delivered before the exit (once)', async () => {
    webhook.status = 503;
    const crashing = app();
    await crashing.waitForLine('ready');
    crashing.child.stdin.write('crash\n');
    assert.equal(await crashing.exited, 1);
    assert.match(crashing.stderr, /crash alert not delivered/);
    assert.equal(webhook.requests.length, 0);

    webhook.status = 200;
    const next = app();
    await next.waitForLine('ready');
    await webhook.waitFor(1, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    // Only the crash alert is asserted: the fixture's ErrorsSeen rule may fire too, when the first
    // evaluation (a second after start) lands while the crash is being flushed and finds the error.
    const alerts = webhook.requests.flatMap((q) => (q.body as { alerts: WebhookAlert[] }).alerts).filter((a) => a.labels.alertname === 'ProcessCrashed');
    assert.deepEqual(alerts.map((a) => `${a.labels.alertname}/${a.status}`), ['ProcessCrashed/firing'], JSON.stringify(alerts));
    assert.match(alerts[0].annotations.summary, /the payment worker exploded/);
    assert.ok(alerts[0].annotations.incident_id);
    assert.equal(await next.stop(), 0);
  });
});
