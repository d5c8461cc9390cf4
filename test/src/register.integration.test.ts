import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { findFreePort } from '../../src/sdk/free-port';
import { promtoolCheckMetrics } from '../helpers/promtool';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { TempDir, REPO_ROOT } from '../helpers/temp-dir';

const REGISTER = join(REPO_ROOT, 'dist', 'src', 'register.mjs');
const ESM_APP = join(REPO_ROOT, 'test', 'fixtures', 'esm-app', 'app.mjs');
const CJS_APP = join(REPO_ROOT, 'test', 'fixtures', 'cjs-app', 'app.cjs');
const MARKER = 'PULSEGUARD_FIXTURE_REPORT';

/** What test/fixtures/shared/probe.cjs prints. */
interface FixtureReport {
  moduleType: 'esm' | 'cjs';
  roundTrips: { httpStatus: number; wsEcho: string; pgQuery: string };
  /** `true` when the function carries the OpenTelemetry shimmer marker (`__wrapped === true`). */
  patched: Record<string, boolean>;
  /** Per prototype, every method carrying the marker. */
  wrapped: Record<string, string[]>;
  /** ESM app only: an import-in-the-middle Hook ran for a plain ES module (the loader hook is active). */
  esmLoaderHook?: boolean;
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

function assertRoundTrips(report: FixtureReport): void {
  assert.equal(report.roundTrips.httpStatus, 200);
  assert.equal(report.roundTrips.wsEcho, 'ping');
  assert.equal(report.roundTrips.pgQuery, 'ok',
    'the fixture could not query PostgreSQL at 127.0.0.1:5432 (database "test", user postgres). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or bash scripts/prepare-test-env.sh)');
}

function assertMetricsBody(body: string, serviceName: string): void {
  assert.match(body, new RegExp(`target_info\\{[^}]*service_name="${serviceName}"`));
  assert.match(body, /^http_server_request_duration_bucket\{[^}]*http_request_method="GET"/m, 'the fixture\'s request to itself is measured');
  // ws and pg got patched through the hook: the fixture's echo and SELECT 1 show up in /metrics.
  assert.match(body, /^websocket_messages_total\{[^}]*ws_role="server"[^}]*\} [1-9]/m, 'the ws echo is counted (ws patched)');
  assert.match(body, /^websocket_connections_opened_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/m, 'the ws upgrade is counted (ws patched)');
  assert.match(body, /^db_client_operation_duration_count\{[^}]*db_operation_name="SELECT"[^}]*\} [1-9]/m, 'the SELECT 1 is measured (pg patched)');
  const check = promtoolCheckMetrics(body);
  assert.ok(check.ok, `promtool check metrics failed:\n${check.output}`);
}

describe('pulseguard/register', () => {
  let dir: TempDir;
  let app: ChildApp | undefined;
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    dir.cleanup();
  });

  it('starts before an ESM app: ESM imports go through the loader hook, http is patched, /metrics is served', async () => {
    const port = await findFreePort();
    dir.write('pulseguard.config.mjs', `export default { service: { name: 'esm-fixture' }, exporters: { prometheus: { host: '127.0.0.1', port: ${port} } }, logging: { level: 'warn' } };\n`);
    app = new ChildApp(['--import', REGISTER, ESM_APP], { cwd: dir.path, env: cleanEnv() });
    const report = (await app.waitForLine(MARKER)) as FixtureReport;

    assert.equal(report.moduleType, 'esm');
    assert.equal(report.esmLoaderHook, true, 'import-in-the-middle did not see the ESM import: the loader hook is not registered');
    assert.equal(report.patched['http.request'], true);
    assert.equal(report.patched['http.get'], true);
    assert.equal(report.patched['http.Server.prototype.emit'], true);
    // ws and pg: assertMetricsBody() checks their metrics.
    assertRoundTrips(report);
    assertMetricsBody(await scrape(port), 'esm-fixture');
    assert.equal(app.stderr, '', 'nothing on stderr');
  });

  it('starts before a CommonJS app configured by env vars only, resolving "pulseguard/register" by name', async () => {
    const port = await findFreePort();
    dir.linkPackage('pulseguard', REPO_ROOT);
    const env = cleanEnv({ PULSEGUARD_SERVICE_NAME: 'cjs-fixture', PULSEGUARD_PROMETHEUS_HOST: '127.0.0.1', PULSEGUARD_PROMETHEUS_PORT: String(port), PULSEGUARD_LOG_LEVEL: 'warn' });
    app = new ChildApp(['--import', 'pulseguard/register', CJS_APP], { cwd: dir.path, env });
    const report = (await app.waitForLine(MARKER)) as FixtureReport;

    assert.equal(report.moduleType, 'cjs');
    assert.equal(report.patched['http.request'], true);
    assert.equal(report.patched['http.get'], true);
    assert.equal(report.patched['http.Server.prototype.emit'], true);
    // ws and pg: assertMetricsBody() checks their metrics.
    assertRoundTrips(report);
    assertMetricsBody(await scrape(port), 'cjs-fixture');
  });

  it('starts an ESM app from a pulseguard.config.ts whatever TypeScript the app has (a stub without the JS API)', async () => {
    const port = await findFreePort();
    dir.linkPackage('pulseguard', REPO_ROOT);
    dir.write('node_modules/typescript/package.json', JSON.stringify({ name: 'typescript', version: '7.0.0', main: 'index.js' }));
    dir.write('node_modules/typescript/index.js', 'module.exports = {};\n');
    dir.write('pulseguard.config.ts', [
      "import { defineConfig } from 'pulseguard';",
      `const port: number = ${port};`,
      "export default defineConfig({ service: { name: 'ts-fixture' }, exporters: { prometheus: { host: '127.0.0.1', port } }, logging: { level: 'warn' } });",
    ].join('\n'));
    app = new ChildApp(['--import', 'pulseguard/register', ESM_APP], { cwd: dir.path, env: cleanEnv() });
    const report = (await app.waitForLine(MARKER)) as FixtureReport;
    assert.equal(report.esmLoaderHook, true);
    assertRoundTrips(report);
    assertMetricsBody(await scrape(port), 'ts-fixture');
  });

  it('control: without pulseguard/register the same ESM fixture reports no loader hook and nothing patched', async () => {
    app = new ChildApp([ESM_APP], { cwd: dir.path, env: cleanEnv() });
    const report = (await app.waitForLine(MARKER)) as FixtureReport;
    assert.equal(report.esmLoaderHook, false);
    assert.deepEqual(Object.entries(report.patched).filter(([, v]) => v), []);
  });

  it('prints every configuration problem to stderr and exits 1 before the app runs', async () => {
    dir.write('pulseguard.config.json', JSON.stringify({ service: { name: '' }, logging: { level: 'loud' }, exporters: { prometheus: { prot: 1 } } }));
    app = new ChildApp(['--import', REGISTER, CJS_APP], { cwd: dir.path, env: cleanEnv() });
    const code = await app.exited;
    assert.equal(code, 1);
    assert.match(app.stderr, /^pulseguard: invalid pulseguard configuration \(3 problems\):/);
    assert.match(app.stderr, /- service\.name: /);
    assert.match(app.stderr, /- logging\.level: expected one of/);
    assert.match(app.stderr, /- exporters\.prometheus\.prot: unknown option/);
    assert.doesNotMatch(app.stdout, new RegExp(MARKER), 'the app must not have run');
  });

  it('exits 1 with a clear message when start() fails (metrics port taken)', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const env = cleanEnv({ PULSEGUARD_SERVICE_NAME: 'busy', PULSEGUARD_PROMETHEUS_HOST: '127.0.0.1', PULSEGUARD_PROMETHEUS_PORT: String(port) });
      app = new ChildApp(['--import', REGISTER, CJS_APP], { cwd: dir.path, env });
      assert.equal(await app.exited, 1);
      assert.match(app.stderr, /^pulseguard: could not start: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
