import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { appPackageVersion } from '../../../src/config/app-version';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT, TempDir } from '../../helpers/temp-dir';

describe('service.version from the app\'s package.json', () => {
  it('#appPackageVersion reads the nearest package.json at or above the working directory', () => {
    const dir = new TempDir();
    try {
      dir.write('package.json', JSON.stringify({ name: 'chat-gateway', version: '2.4.1' }));
      dir.write('src/lib/.keep', '');
      assert.equal(appPackageVersion(join(dir.path, 'src', 'lib')), '2.4.1');
      dir.write('package.json', JSON.stringify({ name: 'chat-gateway' }));
      assert.equal(appPackageVersion(dir.path), undefined);
    } finally {
      dir.cleanup();
    }
  });

  it('reaches /health and target_info when the configuration sets no version (was 0.0.0)', async function () {
    this.timeout(30_000);
    const dir = new TempDir();
    try {
      dir.write('package.json', JSON.stringify({ name: 'chat-gateway', version: '2.4.1' }));
      // Started as `node app.js`, not through npm: no npm_package_version, the version comes from the file.
      const env = cleanEnv({ PULSEGUARD_DIST: join(REPO_ROOT, 'dist') });
      for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === 'APP_VERSION') delete env[k];
      const app = new ChildApp([join(REPO_ROOT, 'test', 'fixtures', 'servers-exit.cjs')], { cwd: dir.path, env });
      const { metricsUrl, healthUrl } = (await app.waitForLine('ready')) as { metricsUrl: string; healthUrl: string };
      const health = (await (await fetch(`${healthUrl}/health`)).json()) as { version?: string };
      const metrics = await (await fetch(metricsUrl)).text();
      app.child.kill('SIGKILL');
      assert.equal(health.version, '2.4.1');
      assert.match(metrics, /^target_info\{.*service_version="2\.4\.1"/m);
    } finally {
      dir.cleanup();
    }
  });
});
