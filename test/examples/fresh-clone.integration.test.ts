import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';
import { cleanEnv } from '../helpers/child-app';

/** The README's first command, exactly as written there (the test adds only the short-run flags). */
function readmeFirstCommand(): string {
  const readme = spawnSync('git', ['show', 'HEAD:README.md'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n')[0].replace(/#.*$/, '').trim();
}

describe('a fresh clone (README: the first command)', function () {
  // npm ci (1-3 minutes), tsc, then a short demo with the embedded PostgreSQL.
  this.timeout(540_000);

  it('`npm run demo` installs the dependencies, builds, and runs the demo with its database leg', async () => {
    const command = readmeFirstCommand();
    assert.equal(command, 'npm run demo');
    const dir = new TempDir();
    try {
      const clone = join(dir.path, 'pulseguard');
      const res = spawnSync('git', ['clone', '--quiet', REPO_ROOT, clone], { encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      assert.ok(!existsSync(join(clone, 'node_modules')), 'nothing installed in the clone');
      const env = cleanEnv();
      // A user's shell: no npm script variables (this test itself runs under npm test), no database or Telegram account.
      for (const k of Object.keys(env)) if (/^(npm_|INIT_CWD$)/i.test(k)) delete env[k];
      for (const k of ['DATABASE_URL', 'TELEGRAM_API_ID', 'TELEGRAM_API_HASH', 'TELEGRAM_SESSION']) delete env[k];
      const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
        const child = spawn('npm', [...command.split(' ').slice(1), '--', '--scenario', 'short', '--duration', '10s'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.stderr.on('data', (d: Buffer) => (text += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, text }));
      });
      assert.equal(out.code, 0, out.text);
      assert.match(out.text, /\[ensure-deps\] node_modules is missing: running npm ci/);
      assert.match(out.text, /database +embedded PostgreSQL \(PGlite over the wire protocol/);
      assert.match(out.text, /slow queries: \d+ x SELECT count\(\*\)/);
      assert.match(out.text, /shut down cleanly/);
    } finally {
      dir.cleanup();
    }
  });
});
