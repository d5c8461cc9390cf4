import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { HttpReceiver } from '../helpers/http-receiver';
import { OtlpReceiver } from '../helpers/otlp-receiver';

// Source fixtures are not compiled: from dist/test/regression back to test/fixtures.
const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/leak-app.cjs');

// Every kind of secret users expect censored (issue 21). The api hash is registered as a secret by
// the app (registerSecret), the others are recognised by shape.
const API_HASH = 'b7c4e2f19a0d3c6e8f1a2b3c4d5e6f70';
const SECRETS: Record<string, string> = {
  Session: `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`,
  ApiHash: API_HASH,
  Phone: '+14155552671',
  NationalPhone: '(415) 555-2671',
  Email: 'jane.doe+alerts@example.co.uk',
  Jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  BotToken: '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  UrlPassword: 'postgres://app:Sup3rS3cretPw@db.internal:5432/main',
};
// What must not appear: the value, and for long ones any 24-character piece (a cut secret).
const NEEDLES: Array<[string, string]> = Object.entries(SECRETS).flatMap(([kind, s]) => {
  const core = kind === 'UrlPassword' ? 'Sup3rS3cretPw' : s;
  const pieces: Array<[string, string]> = [[kind, core]];
  for (let i = 0; i + 24 <= core.length; i += 12) pieces.push([`${kind} (piece at ${i})`, core.slice(i, i + 24)]);
  return pieces;
});

function leaks(where: string, text: string): string[] {
  return NEEDLES.filter(([, n]) => text.includes(n)).map(([kind]) => `${kind} in ${where}`);
}

describe('regression: no secret leaves through any sink (issue 21, "Done when")', function () {
  this.timeout(90_000);
  const sinks: Record<string, string> = {};
  let code: number | null = null;
  let alertCount = 0;
  let spanCount = 0;

  before(async () => {
    const webhook = new HttpReceiver();
    const otlp = new OtlpReceiver();
    const [webhookUrl, otlpUrl] = await Promise.all([webhook.start(), otlp.start()]);
    try {
      const app = new ChildApp([FIXTURE], { cwd: process.cwd(), env: cleanEnv({
        SECRETS: JSON.stringify(SECRETS), API_HASH, WEBHOOK_URL: `${webhookUrl}/hook`, OTLP_ENDPOINT: otlpUrl,
      }) });
      const metricsUrl = await app.waitForLine('ready', 60_000) as string;
      const res = await fetch(metricsUrl);
      sinks['/metrics'] = await res.text();
      assert.equal(res.status, 200);
      app.child.stdin.write('crash\n');
      code = await Promise.race([app.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit\n${app.stderr}`)), 30_000))]);
      sinks['stdout (logs, crash line, log channel)'] = app.stdout;
      sinks['stderr (crash text)'] = app.stderr;
      sinks['webhook (alert annotations)'] = JSON.stringify(webhook.requests.map((r) => r.body));
      sinks['OTLP payloads'] = otlp.bodies.join('\n');
      sinks['OTLP decoded spans'] = JSON.stringify(otlp.spans);
      alertCount = webhook.requests.length;
      spanCount = otlp.spans.length;
    } finally {
      await Promise.all([webhook.stop(), otlp.stop()]);
    }
  });

  it('drove every sink: logs, crash, alerts, spans with exception events, metrics', () => {
    assert.equal(code, 1, sinks['stderr (crash text)']);
    assert.match(sinks['stdout (logs, crash line, log channel)'], /"level":60/);
    assert.match(sinks['stderr (crash text)'], /captured as incident inc_/);
    assert.ok(alertCount >= 1, 'no alert reached the webhook');
    assert.match(sinks['webhook (alert annotations)'], /LeakSession/);
    assert.match(sinks['webhook (alert annotations)'], /ProcessCrashed/);
    assert.ok(spanCount >= Object.keys(SECRETS).length * 2, `only ${spanCount} spans`);
    assert.match(sinks['OTLP decoded spans'], /"exception"/);
    assert.match(sinks['OTLP payloads'], /app\.transaction\.duration/);
    assert.match(sinks['/metrics'], /app_transaction_duration/);
  });

  for (const sink of ['stdout (logs, crash line, log channel)', 'stderr (crash text)', 'webhook (alert annotations)', 'OTLP payloads', 'OTLP decoded spans', '/metrics']) {
    it(`finds no secret in ${sink}`, () => {
      assert.deepEqual(leaks(sink, sinks[sink] ?? ''), []);
    });
  }
});
