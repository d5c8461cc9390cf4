import { strict as assert } from 'node:assert';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { SlackNotifier, WebhookNotifier, AlertmanagerNotifier, EmailNotifier, LogNotifier } from '../../../src/alerting/index';
import { createLogger } from '../../../src/logging/index';
import { HttpReceiver } from '../../helpers/http-receiver';
import { LogCapture } from '../../helpers/log-capture';
import { firing, resolved, notification } from '../../helpers/alerts';
import { describeHttpNotifierConformance } from '../../helpers/notifier-conformance';

const SLACK_SECRET = '/services/T000SECRET/B000SECRET/XXXXXXXXXXXXXXXXXXXXXXXX';

describeHttpNotifierConformance('SlackNotifier', (url) => new SlackNotifier(url), SLACK_SECRET);
describeHttpNotifierConformance('WebhookNotifier', (url) => new WebhookNotifier(url), '/hook?token=s3cr3t-t0ken-value');
describeHttpNotifierConformance('AlertmanagerNotifier', (url) => new AlertmanagerNotifier(url), '/am-s3cr3t-prefix');

describe('notifiers against a local receiver', () => {
  let receiver: HttpReceiver;
  let base: string;
  beforeEach(async () => {
    receiver = new HttpReceiver();
    base = await receiver.start();
  });
  afterEach(() => receiver.stop());

  it('SlackNotifier posts a readable message: what, how bad, value vs level, since when, runbook', async () => {
    const a = firing('HighCpu', 'critical', new Date(Date.now() - 6 * 60_000));
    const r = await new SlackNotifier(`${base}${SLACK_SECRET}`, '#ops').notify(notification('g', a), new AbortController().signal);
    assert.equal(r.ok, true);
    const body = receiver.requests[0].body as { text: string; channel: string };
    assert.equal(body.channel, '#ops');
    assert.match(body.text, /FIRING 1 firing: HighCpu/);
    assert.match(body.text, /\[CRITICAL\] HighCpu: value 0\.75 vs level 0\.5, firing since .* \(6 min\) - HighCpu is high/);
    assert.match(body.text, /<https:\/\/runbooks\.example\/HighCpu\|runbook>/);
  });

  it('WebhookNotifier sends Alertmanager webhook format version 4', async () => {
    const a = resolved(firing('SlowApi', 'warning'), new Date(120_000));
    await new WebhookNotifier(`${base}/hook`, { 'x-api-key': 'k' }).notify(notification('gk', a), new AbortController().signal);
    const body = receiver.requests[0].body as Record<string, unknown> & { alerts: Array<Record<string, unknown>> };
    assert.equal(body.version, '4');
    assert.equal(body.status, 'resolved');
    assert.deepEqual(body.commonLabels, { alertname: 'SlowApi', severity: 'warning' });
    assert.equal(body.alerts[0].endsAt, new Date(120_000).toISOString());
    assert.match(String(body.alerts[0].fingerprint), /^[0-9a-f]{16}$/);
    assert.equal(receiver.requests[0].headers['x-api-key'], 'k');
  });

  it('AlertmanagerNotifier posts to /api/v2/alerts with endsAt only on resolve', async () => {
    const n = new AlertmanagerNotifier(base);
    const a = firing('DbDown', 'critical');
    await n.notify(notification('g', a), new AbortController().signal);
    await n.notify(notification('g', resolved(a, new Date(60_000))), new AbortController().signal);
    assert.equal(receiver.requests[0].path, '/api/v2/alerts');
    const [fire] = receiver.requests[0].body as Array<Record<string, unknown>>;
    const [res] = receiver.requests[1].body as Array<Record<string, unknown>>;
    assert.equal(fire.endsAt, undefined);
    assert.equal(res.endsAt, new Date(60_000).toISOString());
  });
});

describe('EmailNotifier against a local SMTP server', () => {
  let server: SMTPServer;
  let port: number;
  let mails: string[];
  let rejectWith: number | undefined;
  before(async () => {
    mails = [];
    server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onAuth(auth, _s, cb) { cb(null, { user: auth.username }); },
      onData(stream, _s, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          if (rejectWith) {
            const err = Object.assign(new Error('try later'), { responseCode: rejectWith });
            cb(err);
            return;
          }
          mails.push(data);
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const settings = () => ({ host: '127.0.0.1', port, secure: false, user: 'alerts', password: 'smtp-pa55word-secret', from: 'pulseguard@example.com', to: ['oncall@example.com'] });

  it('delivers a readable e-mail', async () => {
    rejectWith = undefined;
    const n = new EmailNotifier(settings());
    const r = await n.notify(notification('g', firing('DbDown', 'critical')));
    n.close();
    assert.equal(r.ok, true);
    assert.equal(mails.length, 1);
    assert.match(mails[0], /Subject: \[pulseguard\] FIRING 1 firing: DbDown/);
    assert.match(mails[0], /\[CRITICAL\] DbDown: value 0\.75 vs level 0\.5/);
  });

  it('treats a 4xx SMTP reply as retryable and a 5xx as permanent, without leaking the password', async () => {
    for (const [code, retryable] of [[451, true], [554, false]] as const) {
      rejectWith = code;
      const n = new EmailNotifier(settings());
      const r = await n.notify(notification('g', firing('DbDown', 'critical')));
      n.close();
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.retryable, retryable, `SMTP ${code}`);
        assert.ok(!r.error.includes('smtp-pa55word-secret'));
      }
    }
  });
});

describe('LogNotifier', () => {
  it('logs firing high alerts at error level with the readable line', async () => {
    const out = new LogCapture();
    await new LogNotifier(createLogger({ destination: out })).notify(notification('g', firing('DbDown', 'critical')));
    const [line] = out.json();
    assert.equal(line.level, 50);
    assert.match(String(line.msg), /FIRING 1 firing: DbDown/);
  });
});
