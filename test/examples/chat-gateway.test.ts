import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import { databaseLine, parseDemoArgs, parseDuration } from '../../examples/chat-gateway/main';
import { SCENARIOS, expectedAlerts } from '../../examples/chat-gateway/scenario';
import { EMBEDDED_INSTALL_HINT, WORKER_SCRIPT, startEmbeddedPostgres } from '../../examples/chat-gateway/embedded-postgres';
import { TempDir } from '../helpers/temp-dir';
import { promtoolCheckMetrics } from '../helpers/promtool';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

/** Runs the built CLI's demo out of process; `interruptOn` sends SIGINT when that text appears. */
function runDemo(args: string[], interruptOn?: RegExp, onStdout?: (stdout: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No TELEGRAM_* or DATABASE_URL: the fake DC and the embedded PostgreSQL, whatever the shell has.
    const env = { ...process.env };
    for (const k of ['TELEGRAM_API_ID', 'TELEGRAM_API_HASH', 'TELEGRAM_SESSION', 'DATABASE_URL', 'PULSEGUARD_CONFIG']) delete env[k];
    const child = spawn(process.execPath, [CLI, 'demo', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout);
      if (interruptOn && !interrupted && interruptOn.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/chat-gateway (pulseguard demo)', () => {
  it('parses --duration and --scenario, and rejects what it does not know', () => {
    assert.equal(parseDuration('60s'), 60_000);
    assert.equal(parseDuration('1m'), 60_000);
    assert.equal(parseDuration('1500ms'), 1500);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('soon'), undefined);
    const ok = parseDemoArgs(['--scenario', 'short', '--duration=15s']);
    assert.ok(typeof ok !== 'string');
    assert.equal(ok.scenario.name, 'short');
    assert.equal(ok.durationMs, 15_000);
    const dflt = parseDemoArgs([]);
    assert.ok(typeof dflt !== 'string');
    assert.equal(dflt.durationMs, 60_000);
    assert.match(String(parseDemoArgs(['--scenario', 'nope'])), /unknown scenario "nope"/);
    assert.match(String(parseDemoArgs(['--duration', '1s'])), /at least 5s/);
    assert.match(String(parseDemoArgs(['--verbose'])), /unexpected argument --verbose/);
    for (const s of Object.values(SCENARIOS)) {
      const total = s.phases.reduce((sum, p) => sum + p.share, 0);
      assert.ok(Math.abs(total - 1) < 1e-9, `${s.name} shares add up to 1 (got ${total})`);
    }
  });

  it('runs the short scenario: the alerts it is meant to show fire and resolve, recovery repairs Telegram, exit 0', async function () {
    // The embedded PostgreSQL takes a few seconds to start (much more on a busy machine).
    this.timeout(150_000);
    // 6 s: phases of about a second, shorter than the rules' 5-6 s windows, so each expected
    // alert fires only because a phase keeps its load on until it fired (bounded), not because
    // the machine happened to be fast enough for a fixed phase length.
    let health: Promise<Record<string, unknown>> | undefined;
    let metrics: Promise<string> | undefined;
    const { code, stdout, stderr } = await runDemo(['--scenario', 'short', '--duration', '6s'], undefined, (out) => {
      const url = /health +(http:\/\/\S+\/health) /.exec(out)?.[1];
      if (url && !health) health = fetch(url).then((r) => r.json() as Promise<Record<string, unknown>>);
      // /metrics once every leg has run (the pool phase is over when the drop phase starts).
      const metricsUrl = /metrics +(http:\/\/\S+\/metrics)/.exec(out)?.[1];
      if (metricsUrl && !metrics && /PHASE +\d+\/\d+ drop/.test(out)) metrics = fetch(metricsUrl).then((r) => r.text());
    });
    assert.equal(code, 0, `exit code (stderr: ${stderr})`);
    assert.match(stdout, /metrics +http:\/\/127\.0\.0\.1:\d+\/metrics/);
    assert.match(stdout, /health +http:\/\/127\.0\.0\.1:\d+\/health/);
    assert.match(stdout, /database +embedded PostgreSQL \(PGlite over the wire protocol.*pool of 5 connections/);
    // The demo's /metrics, every leg included, passes promtool's lint (real promtool).
    const exposition = await metrics;
    assert.ok(exposition, 'the drop phase started and /metrics was read');
    assert.match(exposition, /^db_client_connection_count_current\{/m);
    const lint = promtoolCheckMetrics(exposition);
    assert.ok(lint.ok, `promtool check metrics on the demo's /metrics:\n${lint.output}`);
    // The embedded pool is a /health check without code, named from its connection string.
    const checks = Object.keys(((await health) as { checks: Record<string, unknown> }).checks);
    assert.equal(checks.filter((c) => /^database:127\.0\.0\.1:\d+\/postgres$/.test(c)).length, 1, checks.join(', '));
    const expected = expectedAlerts(SCENARIOS.short);
    assert.deepEqual(expected.sort(), ['DbPoolWaitingHigh', 'HighThrottleRate', 'TelegramDisconnected', 'TelegramFloodWaitsHigh', 'WebSocketMessageRateHigh']);
    for (const name of expected) {
      assert.match(stdout, new RegExp(`^\\d\\d:\\d\\d:\\d\\d  FIRING +(warning|critical) +${name}  value [\\d.]+ vs [\\d.]+`, 'm'), `${name} fired`);
      assert.match(stdout, new RegExp(`^\\d\\d:\\d\\d:\\d\\d  RESOLVED (warning|critical) +${name} `, 'm'), `${name} resolved`);
    }
    assert.doesNotMatch(stdout, /expected but not seen/);
    assert.match(stdout, /RECOVERY telegram\.reconnect succeeded in [\d.]+ s \(TelegramDisconnected/);
    assert.match(stdout, /DC migrations: [1-9]/, 'the standby login migrated DC');
    // The database leg: slow queries caught with the generic plan of the normalised statement.
    assert.match(stdout, /slow queries: \d+ x SELECT count\(\*\) AS n, pg_sleep\(\$3\) FROM demo_messages WHERE body LIKE \$1 AND chat_id = \$2/);
    assert.match(stdout, /EXPLAIN: Aggregate > Seq Scan on demo_messages/);
    assert.match(stdout, /DbPoolWaitingHigh +value \d+ vs 3 +\{db\.client\.connection\.pool\.name=127\.0\.0\.1:\d+\/postgres\}/);
    // Other rules may still fire on a loaded machine; the scenario's own alerts must have resolved.
    const still = /still firing at the end: (.*)/.exec(stdout)?.[1] ?? '';
    for (const name of expected) assert.ok(!still.split(', ').includes(name), `${name} still firing at the end`);
    assert.match(stdout, /shut down cleanly\n$/);
    assert.doesNotMatch(stdout + stderr, /demo-api-hash|1BQ|AQ[A-Za-z0-9+/]{40}/, 'no api hash or session string printed');
  });

  it('stops cleanly on SIGINT (Ctrl-C) with a summary and exit code 0', async function () {
    this.timeout(120_000);
    const { code, stdout } = await runDemo(['--duration', '60s'], /PHASE +1\/\d/);
    assert.equal(code, 0);
    assert.match(stdout, /summary \(stopped early\)/);
    assert.match(stdout, /shut down cleanly\n$/);
  });

  it('without the embedded PostgreSQL packages, says how to add them and leaves the database leg out', async function () {
    this.timeout(30_000);
    // The real worker, copied where the packages do not resolve (an installed pulseguard without them).
    const dir = new TempDir();
    try {
      const script = join(dir.path, 'embedded-postgres-worker.js');
      copyFileSync(WORKER_SCRIPT, script);
      assert.equal(await startEmbeddedPostgres(script), undefined);
    } finally {
      dir.cleanup();
    }
    const line = databaseLine({ database: 'not configured', databaseNote: `the embedded PostgreSQL is not installed (${EMBEDDED_INSTALL_HINT}, or set DATABASE_URL)` });
    assert.equal(line, 'not configured: the embedded PostgreSQL is not installed (npm install --no-save @electric-sql/pglite @electric-sql/pglite-socket, or set DATABASE_URL); the other legs run');
  });

  it('answers a usage error with exit code 2', async () => {
    const { code, stderr } = await runDemo(['--scenario', 'nope']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown scenario "nope"/);
  });
});
