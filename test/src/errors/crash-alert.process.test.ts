import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import * as path from 'node:path';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { HttpReceiver } from '../../helpers/http-receiver';
import { OtlpReceiver } from '../../helpers/otlp-receiver';
import { TempDir } from '../../helpers/temp-dir';

// Source fixtures are not compiled: from dist/test/src/errors back to test/fixtures.
const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/crash-alert-app.cjs');

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface Crash {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Alerts the webhook received, with the time each request arrived. */
  webhook: Array<{ at: number; alerts: WebhookAlert[] }>;
  exitedAt: number;
  otlp: OtlpReceiver;
}

/** Runs the fixture against a local webhook and OTLP receiver, sends one request, waits for the crash. */
async function crash(scenario: string): Promise<Crash> {
  const webhook = new HttpReceiver();
  const otlp = new OtlpReceiver();
  const [webhookUrl, otlpUrl] = await Promise.all([webhook.start(), otlp.start()]);
  const arrivals: number[] = [];
  const original = webhook.requests.push.bind(webhook.requests);
  webhook.requests.push = (...items) => {
    arrivals.push(Date.now());
    return original(...items);
  };
  // A journal of its own: the burst's error groups must be new to this run, not known from the last.
  const journal = new TempDir();
  try {
    const app = new ChildApp([FIXTURE], { cwd: process.cwd(), env: cleanEnv({ SCENARIO: scenario, WEBHOOK_URL: `${webhookUrl}/hook`, OTLP_ENDPOINT: otlpUrl, PULSEGUARD_JOURNAL_DIR: journal.path }) });
    const port = await app.waitForLine('listening');
    // The request never gets an answer: the process crashes while handling it.
    request({ host: '127.0.0.1', port: Number(port), path: '/orders/42', method: 'GET' }).on('error', () => {}).end();
    const code = await Promise.race([app.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit\n${app.stdout}\n${app.stderr}`)), 30_000))]);
    const exitedAt = Date.now();
    const hooks = webhook.requests.map((r, i) => ({ at: arrivals[i], alerts: (r.body as { alerts: WebhookAlert[] }).alerts }));
    return { code, stdout: app.stdout, stderr: app.stderr, webhook: hooks, exitedAt, otlp };
  } finally {
    await Promise.all([webhook.stop(), otlp.stop()]);
    journal.cleanup();
  }
}

function fatalLine(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 60);
  assert.ok(line, `no fatal line in:\n${stdout}`);
  return line;
}

describe('crash alert (out of process)', function () {
  this.timeout(90_000);
  let single: Crash;
  let burst: Crash;
  before(async () => {
    [single, burst] = await Promise.all([crash('request'), crash('burst')]);
  });

  it('sends one critical alert with the incident id to the configured webhook before the process exits', () => {
    assert.equal(single.code, 1, single.stderr);
    const id = String(fatalLine(single.stdout).incidentId);
    const crashes = single.webhook.flatMap((h) => h.alerts.filter((a) => a.labels.alertname === 'ProcessCrashed'));
    assert.equal(crashes.length, 1, `webhook got ${JSON.stringify(single.webhook)}`);
    const [alert] = crashes;
    assert.equal(alert.status, 'firing');
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.annotations.incident_id, id);
    assert.equal(alert.annotations.release, '1.4.2');
    assert.match(alert.annotations.summary, /crashed: Error: order \/orders\/42 exploded for \[REDACTED\]/);
    assert.ok(single.webhook.every((h) => h.at <= single.exitedAt));
    assert.match(single.stderr, new RegExp(`incident ${id}; telemetry flushed; crash alert sent; exiting with code 1`));
  });

  it('ends and exports the spans of the request that crashed', () => {
    const spans = single.otlp.spans;
    const server = spans.find((s) => s.kind === 2 && OtlpReceiver.attr(s, 'url.path') === '/orders/42');
    assert.ok(server, `no server span for /orders/42 among ${spans.map((s) => s.name).join(', ')}`);
    const load = spans.find((s) => s.name === 'load-order');
    assert.ok(load, 'the child span of the request is missing');
    assert.equal(load.traceId, server.traceId);
    assert.ok(!JSON.stringify(spans).includes('jane.doe@example.com'));
  });

  it('still notifies when 30 errors came 300 ms before the crash', () => {
    assert.equal(burst.code, 1, burst.stderr);
    const id = String(fatalLine(burst.stdout).incidentId);
    const crashes = burst.webhook.flatMap((h) => h.alerts.filter((a) => a.labels.alertname === 'ProcessCrashed'));
    assert.equal(crashes.length, 1, `webhook got ${JSON.stringify(burst.webhook)}`);
    assert.equal(crashes[0].annotations.incident_id, id);
    // The 30 new groups were alerted too, within the rate limit (10 per window); the crash's own
    // error is not a NewErrorGroup alert (it has ProcessCrashed).
    const newGroups = burst.webhook.flatMap((h) => h.alerts.filter((a) => a.labels.alertname === 'NewErrorGroup'));
    assert.equal(newGroups.length, 10, JSON.stringify(newGroups.map((a) => a.annotations.summary)));
    assert.ok(newGroups.every((a) => a.labels.error_class === 'unknown' && /^New error group in crash-alert-fixture: TypeError: handler/.test(a.annotations.summary)));
  });
});
