import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { missingPeerProblems } from '../../../src/config/peer-requirements';
import { resolveConfig } from '../../../src/config/validate';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT, TempDir } from '../../helpers/temp-dir';

const HIDE = join(REPO_ROOT, 'test', 'fixtures', 'hide-packages.cjs');
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

/** Uses both features that need an optional peer: the Redis store and the e-mail channel. */
const USES_PEERS = {
  service: { name: 'peers' },
  rateLimits: { store: 'redis' },
  alerting: { channels: { email: { host: '127.0.0.1', from: 'pg@example.test', to: ['ops@example.test'] } } },
};

/** Runs node with ioredis and nodemailer made unresolvable (as in an app that did not install them). */
async function runHidden(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = new ChildApp(['--require', HIDE, ...args], { cwd, env: cleanEnv({ HIDE_PACKAGES: 'ioredis,nodemailer' }) });
  const code = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

describe('optional peer dependencies', () => {
  describe('#missingPeerProblems', () => {
    const config = resolveConfig(USES_PEERS);
    const nothingInstalled = (name: string): string => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };

    it('names the package to install for each configured feature whose package is missing', () => {
      assert.deepEqual(missingPeerProblems(config, nothingInstalled), [
        { path: 'rateLimits.store', message: 'the Redis rate-limit store (rateLimits.store: "redis") needs the "ioredis" package, which is not installed: npm install ioredis' },
        { path: 'alerting.channels.email', message: 'the e-mail alert channel (alerting.channels.email) needs the "nodemailer" package, which is not installed: npm install nodemailer' },
      ]);
    });

    it('asks for nothing when the configuration does not use those features', () => {
      const asked: string[] = [];
      const problems = missingPeerProblems(resolveConfig({ service: { name: 'plain' } }), (name) => {
        asked.push(name);
        return nothingInstalled(name);
      });
      assert.deepEqual(problems, []);
      assert.deepEqual(asked, []);
    });

    it('reports nothing when the packages resolve', () => {
      assert.deepEqual(missingPeerProblems(config, (name) => `/app/node_modules/${name}/index.js`), []);
    });
  });

  describe('in an app without ioredis and nodemailer', () => {
    let dir: TempDir;
    beforeEach(() => {
      dir = new TempDir();
    });
    afterEach(() => dir.cleanup());

    it('pulseguard check exits 1 naming both packages', async () => {
      const file = dir.write('pulseguard.config.json', JSON.stringify(USES_PEERS));
      const r = await runHidden([CLI, 'check', file], dir.path);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /- rateLimits\.store: .*needs the "ioredis" package, which is not installed: npm install ioredis$/m);
      assert.match(r.stderr, /- alerting\.channels\.email: .*needs the "nodemailer" package, which is not installed: npm install nodemailer$/m);
    });

    it('the e-mail notifier, used directly, fails without retry and names the package', async () => {
      const notifier = join(REPO_ROOT, 'dist', 'src', 'alerting', 'notifiers', 'email-notifier.js');
      const script = dir.write('notify.cjs', `
        const { EmailNotifier } = require(${JSON.stringify(notifier)});
        const n = new EmailNotifier({ host: '127.0.0.1', port: 1, secure: false, from: 'a@example.test', to: ['b@example.test'] });
        n.notify({ groupKey: 'g', groupLabels: {}, status: 'firing', alerts: [], reason: 'new', level: 'warning', repeat: 0 }).then((r) => console.log('result ' + JSON.stringify(r)));`);
      const r = await runHidden([script], dir.path);
      assert.equal(r.code, 0, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.startsWith('result '));
      assert.ok(line, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(JSON.parse(line.slice('result '.length)), {
        ok: false,
        retryable: false,
        error: 'the e-mail alert channel (alerting.channels.email) needs the "nodemailer" package, which is not installed: npm install nodemailer',
      });
    });

    it('start() rejects with a ConfigError naming both packages', async () => {
      const script = dir.write('app.cjs', `
        require(${JSON.stringify(INDEX)}).start(${JSON.stringify(USES_PEERS)}).then(
          () => { console.log('started'); process.exit(0); },
          (err) => { console.log('rejected ' + JSON.stringify({ name: err.name, problems: err.problems })); process.exit(0); },
        );`);
      const r = await runHidden([script], dir.path);
      assert.equal(r.code, 0, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.startsWith('rejected '));
      assert.ok(line, `start() did not reject:\n${r.stdout}\n${r.stderr}`);
      const { name, problems } = JSON.parse(line.slice('rejected '.length)) as { name: string; problems: Array<{ path: string; message: string }> };
      assert.equal(name, 'ConfigError');
      assert.deepEqual(problems.map((p) => [p.path, /npm install (\S+)$/.exec(p.message)?.[1]]), [
        ['rateLimits.store', 'ioredis'],
        ['alerting.channels.email', 'nodemailer'],
      ]);
    });
  });
});
