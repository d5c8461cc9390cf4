import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadedCopies, unpatchedCopies } from '../../../src/internal/preloaded-packages';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT, TempDir } from '../../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');
const ALL = { ws: true, pg: true, telegram: true };

interface LogLine { level: number; msg: string; package?: string; loaded?: string }

/** Runs `before` in a child, then start() twice (with a shutdown between); returns pulseguard's log lines. */
async function logsOfStart(before: string, cwd: string): Promise<LogLine[]> {
  const config = { service: { name: 'preloaded' }, exporters: { prometheus: { port: 0 } }, logging: { level: 'warn' } };
  const script = `
    ${before}
    const { start } = require(${JSON.stringify(INDEX)});
    (async () => {
      await (await start(${JSON.stringify(config)})).shutdown();
      await (await start(${JSON.stringify(config)})).shutdown();
      setTimeout(() => process.exit(0), 100);
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const child = new ChildApp(['-e', script], { cwd, env: cleanEnv() });
  assert.equal(await child.exited, 0, child.stderr);
  return child.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

describe('preloaded packages', () => {
  const cache = {
    '/srv/app/node_modules/ws/lib/websocket.js': {},
    '/srv/app/node_modules/telegram/client/users.js': {},
    '/srv/app/node_modules/pulseguard/node_modules/telegram/index.js': {},
    '/srv/app/node_modules/pg-pool/index.js': {},
  };

  describe('#loadedCopies', () => {
    it('finds every installed copy with a file in the module cache', () => {
      assert.deepEqual(loadedCopies('telegram', cache), ['/srv/app/node_modules/telegram', '/srv/app/node_modules/pulseguard/node_modules/telegram']);
      assert.deepEqual(loadedCopies('pg', cache), [], 'pg-pool is not pg');
    });
  });

  describe('#unpatchedCopies', () => {
    it('reports a telegram copy other than the one pulseguard resolves', () => {
      const resolve = (): string => '/srv/app/node_modules/pulseguard/node_modules/telegram/index.js';
      assert.deepEqual(unpatchedCopies(ALL, cache, resolve), [
        { name: 'telegram', dir: '/srv/app/node_modules/telegram', instrumented: '/srv/app/node_modules/pulseguard/node_modules/telegram' },
      ]);
    });

    it('reports nothing for ws and pg, whose instrumentations patch every loaded copy, nor for a disabled instrumentation', () => {
      const resolve = (): string => '/elsewhere/node_modules/telegram/index.js';
      assert.deepEqual(unpatchedCopies({ ws: true, pg: true, telegram: false }, cache, resolve), []);
    });
  });

  describe('start()', () => {
    let dir: TempDir;
    beforeEach(() => {
      dir = new TempDir();
    });
    afterEach(() => dir.cleanup());

    it('warns once, naming the package, when the app loaded a telegram copy it cannot patch', async () => {
      dir.write('node_modules/telegram/package.json', JSON.stringify({ name: 'telegram', version: '2.26.16', main: 'index.js' }));
      dir.write('node_modules/telegram/index.js', 'module.exports = { TelegramClient: class TelegramClient {} };\n');
      const logs = await logsOfStart("require('telegram');", dir.path);
      const warnings = logs.filter((l) => l.package !== undefined);
      assert.deepEqual(warnings.map((l) => [l.level, l.package, l.loaded]), [[40, 'telegram', join(dir.path, 'node_modules', 'telegram')]]);
      assert.match(warnings[0].msg, /^a copy of "telegram" was loaded before pulseguard started, and it is not the copy pulseguard instruments/);
    });

    it('does not warn when the copies loaded first are the ones it patches in place', async () => {
      const logs = await logsOfStart("require('ws'); require('pg'); require('telegram');", REPO_ROOT);
      assert.deepEqual(logs.filter((l) => l.package !== undefined), []);
    });
  });
});
