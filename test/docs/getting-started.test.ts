import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigInput } from '../../src/config/load-config';
import { start, getTelemetry, type PulseguardConfigInput } from '../../src/index';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { HttpReceiver } from '../helpers/http-receiver';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';

const DOC = join(REPO_ROOT, 'docs', 'getting-started.md');

/** The body of the docs' first ```lang block containing `marker`. */
function block(lang: string, marker: string): string {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);
  const found = blocks.find((b) => b.includes(marker));
  assert.ok(found, `docs/getting-started.md has no ${lang} block with ${marker}`);
  return found;
}

/** Polls until `predicate` holds (or fails with `what`). */
async function until<T>(what: string, read: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('docs/getting-started.md snippets', function () {
  this.timeout(60_000);
  const dirs: TempDir[] = [];
  after(() => dirs.forEach((d) => d.cleanup()));

  it('under --import: the ports are in the "pulseguard started" line, and SIGTERM flushes OTLP before the process ends', async () => {
    const dir = new TempDir();
    dirs.push(dir);
    dir.write('pulseguard.config.json', block('json', '"handleSignals"'));
    dir.write('app.mjs', block('js', '// app.mjs'));
    dir.linkPackage('pulseguard', REPO_ROOT);
    const otlp = new OtlpReceiver();
    const endpoint = await otlp.start();
    const app = new ChildApp(['--import', 'pulseguard/register', 'app.mjs'], { cwd: dir.path, env: cleanEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, PORT: '0' }) });
    try {
      const started = await until('the "pulseguard started" line', () => app.stdout.split('\n')
        .map((l) => { try { return JSON.parse(l) as Record<string, string>; } catch { return undefined; } })
        .find((l) => l?.msg === 'pulseguard started'));
      assert.match(started.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.match(started.healthUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(started.metricsUrl)).status, 200);
      assert.equal((await fetch(`${started.healthUrl}/livez`)).status, 200);
      const port = await until('the app\'s port', () => /app listening on (\d+)/.exec(app.stdout)?.[1]);
      // pulseguard's line came before the app's first line.
      assert.ok(app.stdout.indexOf('pulseguard started') < app.stdout.indexOf('app listening on'));
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'ok');
      assert.equal(otlp.spans.length, 0, 'nothing exported yet (the batch waits)');
      app.child.kill('SIGTERM');
      const code = await app.exited;
      assert.ok(code === 0 || app.child.signalCode === 'SIGTERM', `exit ${code} / ${app.child.signalCode}\n${app.stderr}`);
      // The flush at shutdown delivered the request's span and the metrics.
      assert.ok(otlp.spans.some((s) => s.kind === 2 && /^GET/.test(s.name)), JSON.stringify(otlp.spans.map((s) => s.name)));
      assert.ok(otlp.metricNames.has('http.server.request.duration'), [...otlp.metricNames].join(', '));
    } finally {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await otlp.stop();
    }
  });

  it('routes alerts to a webhook as the webhook section configures it (critical to the webhook, warnings not)', async () => {
    const dir = new TempDir();
    dirs.push(dir);
    dir.write('pulseguard.config.mjs', `import { defineConfig } from 'pulseguard';\n${block('js', 'ALERT_WEBHOOK_URL')}`);
    dir.linkPackage('pulseguard', REPO_ROOT);
    const receiver = new HttpReceiver();
    const url = `${await receiver.start()}/hooks/pulseguard`;
    const saved = { url: process.env.ALERT_WEBHOOK_URL, token: process.env.ALERT_WEBHOOK_TOKEN };
    process.env.ALERT_WEBHOOK_URL = url;
    process.env.ALERT_WEBHOOK_TOKEN = 'doc-test-token';
    try {
      const { input } = await loadConfigInput({ cwd: dir.path });
      const documented = input as PulseguardConfigInput;
      // The documented configuration, plus what makes a test quick: two rules that fire at once.
      await start({
        ...documented,
        logging: { level: 'silent' },
        exporters: { prometheus: { enabled: false } },
        alerting: { ...documented.alerting, groupWaitMs: 100 },
        rules: {
          evaluationIntervalMs: 1000,
          custom: [
            { name: 'DocProbeCritical', metric: 'process.memory.utilization', statistic: 'last', critical: 0 },
            { name: 'DocProbeWarning', metric: 'process.memory.utilization', statistic: 'last', warning: 0 },
          ],
        },
      });
      await receiver.waitFor(1, 20_000);
      await new Promise((r) => setTimeout(r, 1500));
      const bodies = receiver.requests.map((r) => r.body as { version: string; status: string; alerts: Array<{ labels: Record<string, string> }> });
      assert.equal(receiver.requests[0].path, '/hooks/pulseguard');
      assert.equal(receiver.requests[0].headers.authorization, 'Bearer doc-test-token');
      assert.equal(bodies[0].version, '4');
      const names = new Set(bodies.flatMap((b) => b.alerts.map((a) => a.labels.alertname)));
      assert.ok(names.has('DocProbeCritical'), [...names].join(', '));
      assert.ok(!names.has('DocProbeWarning'), 'warnings go to the log only in this matrix');
    } finally {
      await getTelemetry()?.shutdown();
      await receiver.stop();
      if (saved.url === undefined) delete process.env.ALERT_WEBHOOK_URL; else process.env.ALERT_WEBHOOK_URL = saved.url;
      if (saved.token === undefined) delete process.env.ALERT_WEBHOOK_TOKEN; else process.env.ALERT_WEBHOOK_TOKEN = saved.token;
    }
  });
});
