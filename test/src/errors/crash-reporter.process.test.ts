import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

// A GramJS StringSession: "1" + base64 of dc id, address, port and a 256-byte auth key.
const SESSION = `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`;

// Source fixtures are not compiled: from dist/test/src/errors back to test/fixtures.
const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/crash-app.cjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runFixture(env: Record<string, string>, execArgv: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, FIXTURE], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fixture did not exit; stdout:\n${stdout}\nstderr:\n${stderr}`));
    }, 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function logLines(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Scenario {
  run: Run;
  /** What the fixture's OTLP exporter posted to the local receiver. */
  posts: Array<{ url: string; body: string }>;
}

/** Starts a local OTLP/HTTP receiver, runs the fixture against it, and closes the receiver. */
async function scenario(env: Record<string, string>, execArgv: string[] = []): Promise<Scenario> {
  const posts: Scenario['posts'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      posts.push({ url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return { run: await runFixture({ OTLP_ENDPOINT: endpoint, ...env }, execArgv), posts };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('CrashReporter (out of process)', function () {
  this.timeout(120_000);
  // Every fixture is a separate Node process that needs seconds to load the SDK: run them three
  // at a time (more starves a busy 2-core machine), then assert one scenario per test.
  let s: Record<'uncaught' | 'rejection' | 'rejectionString' | 'warn' | 'handled' | 'off' | 'long', Scenario>;
  before(async () => {
    const [uncaught, rejection, rejectionString] = await Promise.all([
      scenario({ CRASH: 'uncaught' }),
      scenario({ CRASH: 'rejection' }),
      scenario({ CRASH: 'rejection-string' }),
    ]);
    const [warn, handled, off] = await Promise.all([
      scenario({ CRASH: 'rejection-warn' }, ['--unhandled-rejections=warn']),
      scenario({ CRASH: 'handled' }),
      scenario({ CRASH: 'uncaught', CAPTURE: 'off' }),
    ]);
    const long = await scenario({ CRASH: 'uncaught-long', SECRET_SESSION: SESSION });
    s = { uncaught, rejection, rejectionString, warn, handled, off, long };
  });

  it('on an uncaught exception: logs a fatal line with the incident id, flushes, prints the error and exits 1', () => {
    const { run, posts } = s.uncaught;
    assert.equal(run.code, 1, run.stderr);

    const fatal = logLines(run.stdout).find((l) => l.level === 60);
    assert.ok(fatal, `no fatal log line in:\n${run.stdout}`);
    const id = String(fatal.incidentId);
    assert.match(id, /^inc_\d{8}T\d{6}Z_[0-9a-f]{8}$/);
    assert.equal(fatal.origin, 'uncaughtException');
    assert.equal((fatal.err as { message: string }).message, 'fixture exploded for [REDACTED]');

    assert.ok(run.stderr.includes(id), `incident id missing from stderr:\n${run.stderr}`);
    assert.match(run.stderr, /Error: fixture exploded for \[REDACTED\]\n\s+at /);
    assert.match(run.stderr, /Node\.js v\d+/);
    assert.ok(!run.stdout.includes('7911 123456') && !run.stderr.includes('7911 123456'), 'phone number leaked');

    // The flush ran: the OTLP metric export reached the receiver before the exit, with the crash counted.
    const metricPosts = posts.filter((p) => p.url === '/v1/metrics');
    assert.ok(metricPosts.length >= 1, `no metric export; got ${posts.map((p) => p.url).join(',')}`);
    assert.ok(metricPosts.some((p) => p.body.includes('pulseguard.errors.tracked')), 'exported metrics lack pulseguard.errors.tracked');
  });

  it('redacts a session behind an 800-character prefix before shortening the crash line', () => {
    const { run } = s.long;
    assert.equal(run.code, 1, run.stderr);
    const fatal = logLines(run.stdout).find((l) => l.level === 60);
    assert.ok(fatal, `no fatal log line in:\n${run.stdout}`);
    assert.match((fatal.err as { message: string }).message, /session=\[REDACTED\]/);
    for (let i = 0; i + 24 <= SESSION.length; i += 12) {
      const piece = SESSION.slice(i, i + 24);
      assert.ok(!run.stdout.includes(piece) && !run.stderr.includes(piece), `a piece of the session leaked at ${i}`);
    }
  });

  it('on an unhandled rejection in the default (throw) mode: an incident, a flush and exit 1', () => {
    const { run, posts } = s.rejection;
    assert.equal(run.code, 1, run.stderr);
    const fatal = logLines(run.stdout).find((l) => l.level === 60);
    assert.equal(fatal?.origin, 'unhandledRejection');
    assert.ok(run.stderr.includes(String(fatal?.incidentId)));
    assert.match(run.stderr, /Error: fixture rejected/);
    assert.ok(posts.some((p) => p.url === '/v1/metrics'), 'no flush before exit');
  });

  it('wraps a non-Error rejection reason the way Node does', () => {
    const { run } = s.rejectionString;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /UnhandledPromiseRejection: .*The promise rejected with the reason "'plain reason'"/);
    assert.match(run.stderr, /ERR_UNHANDLED_REJECTION/);
  });

  it('follows --unhandled-rejections=warn: records the rejection and keeps running', () => {
    const { run } = s.warn;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /still alive/);
    const line = logLines(run.stdout).find((l) => l.origin === 'unhandledRejection');
    assert.equal(line?.level, 50);
    assert.match(String(line?.incidentId), /^inc_/);
  });

  it('leaves the decision to the app when it has its own uncaughtException handler', () => {
    const { run } = s.handled;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /app handler saw: fixture exploded/);
    const line = logLines(run.stdout).find((l) => l.origin === 'uncaughtException');
    assert.equal(line?.level, 50, 'recorded at error level, not as a fatal crash');
  });

  it('installs nothing when errors.captureCrashes is off: Node crashes on its own', () => {
    const { run } = s.off;
    assert.equal(run.code, 1);
    assert.match(run.stderr, /fixture exploded/);
    assert.ok(!/incident/.test(run.stderr) && !/incidentId/.test(run.stdout));
  });
});
