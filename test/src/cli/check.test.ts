import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../../src/cli/index';
import { VERSION } from '../../../src/version';
import { TempDir } from '../../helpers/temp-dir';

/** Runs the CLI in-process and captures what it prints. */
async function cli(argv: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: opts.cwd, env: opts.env ?? {} };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Twelve-plus different kinds of mistakes, each with the path and message the user must see. */
const BROKEN = {
  service: { name: '' },
  logging: { level: 'loud' },
  exporters: { prometheus: { prot: 9464, port: 70000, endpoint: 'metrics' }, otlp: { endpoint: 'not a url' } },
  thresholds: {
    websocket: { messageLatency: { warning: '100ms' } },
    resources: { cpu: { warning: 0.9, critical: 0.5 } },
    rateLimits: { throttledRatio: 1.5 },
  },
  alerting: { matrix: { high: { channels: ['pager'] } } },
  rules: {
    custom: [
      { name: 'high-cpu', metric: 'process.cpu.utilization', statistic: 'max' },
      { name: 'err_ratio', metric: 'websocket.errors', statistic: 'ratio', warning: 0.1, for: '5 minutes' },
    ],
  },
  rateLimits: { store: 'mongo' },
  health: { detailed: { enabled: true } },
  thresholdz: {},
};
const EXPECTED_PROBLEMS: RegExp[] = [
  /^ {2}- service\.name: /m,
  /^ {2}- logging\.level: expected one of "fatal", .*got "loud"$/m,
  /^ {2}- exporters\.prometheus\.prot: unknown option/m,
  /^ {2}- exporters\.prometheus\.port: /m,
  /^ {2}- exporters\.prometheus\.endpoint: must start with "\/"$/m,
  /^ {2}- exporters\.otlp\.endpoint: /m,
  /^ {2}- thresholds\.websocket\.messageLatency\.warning: expected number, got "100ms"$/m,
  /^ {2}- thresholds\.resources\.cpu: critical must be >= warning$/m,
  /^ {2}- thresholds\.rateLimits\.throttledRatio: /m,
  /^ {2}- alerting\.matrix\.high\.channels\.0: expected one of "log", "slack"/m,
  /^ {2}- rules\.custom\.0\.name: must match/m,
  /^ {2}- rules\.custom\.0\.warning: a rule needs a warning or a critical level$/m,
  /^ {2}- rules\.custom\.1\.for: expected a duration like "30s"/m,
  /^ {2}- rateLimits\.store: expected one of "memory", "redis", got "mongo"$/m,
  /^ {2}- health\.detailed\.token: health\.detailed\.enabled needs health\.detailed\.token$/m,
  /^ {2}- thresholdz: unknown option/m,
];

describe('pulseguard CLI', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(() => dir.cleanup());

  describe('#runCli', () => {
    it('prints the command list for --help and exits 0', async () => {
      const r = await cli(['--help'], { cwd: dir.path });
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: pulseguard <command>/);
      assert.match(r.stdout, /^ {2}check +validate the configuration/m);
    });

    it('prints a command\'s help for "check --help" and "help check"', async () => {
      for (const argv of [['check', '--help'], ['help', 'check']]) {
        const r = await cli(argv, { cwd: dir.path });
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^usage: pulseguard check \[file\]\n\n.*PULSEGUARD_CONFIG/s);
      }
    });

    it('exits 2 with the usage on stderr for an unknown command, and for no command', async () => {
      const unknown = await cli(['deploy'], { cwd: dir.path });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown command "deploy"[\s\S]*usage: pulseguard <command>/);
      assert.equal(unknown.stdout, '');
      const none = await cli([], { cwd: dir.path });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /usage: pulseguard <command>/);
    });

    it('prints the package version for --version', async () => {
      const r = await cli(['--version'], { cwd: dir.path });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${VERSION}\n`);
    });

    it('dispatches to commands from the table it is given', async () => {
      const seen: string[][] = [];
      const code = await runCli(['rules', '--out', 'x.yml'], { stdout: () => {}, stderr: () => {}, cwd: dir.path, env: {} }, [
        { name: 'rules', summary: 's', usage: 'u', help: 'h', run: async (args) => (seen.push([...args]), 7) },
      ]);
      assert.equal(code, 7);
      assert.deepEqual(seen, [['--out', 'x.yml']]);
    });
  });

  describe('check', () => {
    it('prints the resolved summary of a valid file and exits 0', async () => {
      const file = dir.write('pulseguard.config.mjs', `export default {
        service: { name: 'chat-gateway', version: '1.4.0', instanceId: 'gw-1', environment: 'production' },
        exporters: { prometheus: { port: 9555 }, otlp: { enabled: true, endpoint: 'http://tempo:4318', metrics: true } },
        instrumentations: { telegram: { enabled: false } },
        rules: { disable: ['MemoryHigh'], custom: [
          { name: 'slow_api', metric: 'http.server.request.duration', statistic: 'p95', critical: 0.5, for: '5m', window: '10m' },
          { name: 'ws_errors', metric: 'websocket.errors', statistic: 'ratio', denominator: 'websocket.messages', warning: 0.01, critical: 0.05 },
        ] },
        alerting: { channels: { slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/secret' } } },
        rateLimits: { policies: { 'api.auth': false, 'uploads.big': { points: 2, durationMs: 1000 } } },
      };\n`);
      const r = await cli(['check'], { cwd: dir.path });
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^configuration is valid: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n`));
      assert.match(r.stdout, /^service +chat-gateway \(version 1\.4\.0, instance gw-1, environment production\)$/m);
      assert.match(r.stdout, /^ {2}prometheus +http:\/\/0\.0\.0\.0:9555\/metrics$/m);
      assert.match(r.stdout, /^ {2}otlp +http:\/\/tempo:4318 \(traces, metrics every 15s\)$/m);
      assert.match(r.stdout, /^instrumentations +on: http, runtime, ws, pg; off: telegram$/m);
      assert.match(r.stdout, /^ {2}effective \(\d+\) +built-in pack on; disabled by name: MemoryHigh, 2 custom$/m);
      assert.match(r.stdout, /^ +slow_api: p95\(http\.server\.request\.duration\[10m\]\) > critical 0\.5 for 5m$/m);
      assert.match(r.stdout, /^ +ws_errors: ratio\(websocket\.errors \/ websocket\.messages\[5m\]\) > warning 0\.01, critical 0\.05$/m);
      assert.match(r.stdout, /^ +DbPoolWaitingHigh: /m, 'built-in rules are listed');
      assert.doesNotMatch(r.stdout, /^ +MemoryHigh:/m, 'a disabled rule is not listed');
      assert.match(r.stdout, /^alerting +channels configured: log, slack$/m);
      assert.match(r.stdout, /^rate limits +store memory, 9 policies: api\.standard, .*uploads\.big/m);
      assert.doesNotMatch(r.stdout, /api\.auth|secret/, 'removed policy and secrets are not printed');
    });

    it('shows fleet de-duplication, and refuses it without the Redis rate-limit store, saying why', async () => {
      dir.write('fleet-on.json', JSON.stringify({ service: { name: 'gw' }, rateLimits: { store: 'redis' }, alerting: { fleet: { enabled: true } } }));
      const on = await cli(['check', 'fleet-on.json'], { cwd: dir.path });
      assert.equal(on.code, 0, on.stderr);
      assert.match(on.stdout, /^ {2}fleet +de-duplicated through the rate limiter's Redis \(keys pulseguard:fleet:gw:\*\)$/m);
      dir.write('fleet-memory.json', JSON.stringify({ service: { name: 'gw' }, alerting: { fleet: { enabled: true } } }));
      const bad = await cli(['check', 'fleet-memory.json'], { cwd: dir.path });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /alerting\.fleet\.enabled: alerting\.fleet needs rateLimits\.store "redis"/);
    });

    it('checks the file given as argument, and the environment when there is no file', async () => {
      dir.write('conf/my.json', JSON.stringify({ service: { name: 'from-arg' } }));
      const byArg = await cli(['check', 'conf/my.json'], { cwd: dir.path });
      assert.equal(byArg.code, 0, byArg.stderr);
      assert.match(byArg.stdout, /^service +from-arg \(version [^,]+, instance <hostname>-<pid> of each process\)$/m);

      const byEnv = await cli(['check'], { cwd: dir.path, env: { PULSEGUARD_SERVICE_NAME: 'from-env', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } });
      assert.equal(byEnv.code, 0, byEnv.stderr);
      assert.match(byEnv.stdout, /^configuration is valid: environment variables/);
      assert.match(byEnv.stdout, /^ {2}otlp +http:\/\/collector:4318 \(traces\)$/m);
    });

    it('prints every problem of a broken file by path and exits 1', async () => {
      dir.write('pulseguard.config.json', JSON.stringify(BROKEN, null, 2));
      const r = await cli(['check'], { cwd: dir.path });
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /pulseguard\.config\.json: invalid pulseguard configuration \(\d+ problems\):\n/);
      for (const expected of EXPECTED_PROBLEMS) assert.match(r.stderr, expected);
      const listed = r.stderr.split('\n').filter((l) => l.startsWith('  - ')).length;
      assert.ok(listed >= EXPECTED_PROBLEMS.length, `${listed} problems listed:\n${r.stderr}`);
    });

    it('exits 1 with the reason when the file cannot be read, and 2 on a bad argument', async () => {
      const missing = await cli(['check', join(dir.path, 'nope.mjs')], { cwd: dir.path });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^pulseguard check: the configuration file given does not exist: .*nope\.mjs/);
      const flag = await cli(['check', '--strict'], { cwd: dir.path });
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /unexpected argument --strict\nusage: pulseguard check \[file\]/);
    });
  });
});
