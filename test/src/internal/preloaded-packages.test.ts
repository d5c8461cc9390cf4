import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadedPackages } from '../../../src/internal/preloaded-packages';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT } from '../../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

/** Runs `before`, then start() twice (with a shutdown between), and returns pulseguard's log lines. */
async function logsOfStart(before: string): Promise<Array<{ level: number; msg: string; package?: string }>> {
  const config = { service: { name: 'preloaded' }, exporters: { prometheus: { port: 0 } }, logging: { level: 'warn' } };
  const script = `
    ${before}
    const { start } = require(${JSON.stringify(INDEX)});
    (async () => {
      await (await start(${JSON.stringify(config)})).shutdown();
      await (await start(${JSON.stringify(config)})).shutdown();
      setTimeout(() => process.exit(0), 100);
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const child = new ChildApp(['-e', script], { cwd: REPO_ROOT, env: cleanEnv() });
  assert.equal(await child.exited, 0, child.stderr);
  return child.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; package?: string });
}

describe('preloaded packages', () => {
  describe('#loadedPackages', () => {
    it('finds any copy of a package in the module cache, nested or the app\'s', () => {
      const cache = {
        '/srv/app/node_modules/ws/lib/websocket.js': {},
        '/srv/app/node_modules/some-lib/node_modules/telegram/index.js': {},
        '/srv/app/node_modules/pg-pool/index.js': {},
        '/srv/app/src/pg/index.js': {},
      };
      assert.deepEqual(loadedPackages(['ws', 'pg', 'telegram'], cache), ['ws', 'telegram']);
    });
  });

  describe('start()', () => {
    it('warns once, naming the package, when ws was loaded before it', async () => {
      const logs = await logsOfStart("require('ws');");
      const warnings = logs.filter((l) => l.package !== undefined);
      assert.deepEqual(warnings.map((l) => [l.level, l.package]), [[40, 'ws']]);
      assert.match(warnings[0].msg, /^"ws" was loaded before pulseguard started, so it may not be instrumented: start pulseguard first/);
    });

    it('does not warn when nothing it patches was loaded first', async () => {
      const logs = await logsOfStart('');
      assert.deepEqual(logs.filter((l) => l.package !== undefined), []);
    });
  });
});
