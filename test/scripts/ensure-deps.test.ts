import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';

/** The exports of scripts/ensure-deps.mjs (plain ESM, loaded at run time). */
interface EnsureDeps {
  staleReason(root: string): string | undefined;
}

const lock = (packages: Record<string, unknown>): string => JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } });

describe('scripts/ensure-deps.mjs', () => {
  let deps: EnsureDeps;
  const dirs: TempDir[] = [];
  before(async () => {
    deps = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'ensure-deps.mjs')).href)) as EnsureDeps;
  });
  after(() => dirs.forEach((d) => d.cleanup()));
  const project = (locked: Record<string, unknown>, installed?: Record<string, unknown>): string => {
    const dir = new TempDir();
    dirs.push(dir);
    dir.write('package-lock.json', lock(locked));
    if (installed) dir.write('node_modules/.package-lock.json', lock(installed));
    return dir.path;
  };

  describe('#staleReason', () => {
    it('says node_modules is missing on a fresh clone', () => {
      assert.equal(deps.staleReason(project({ 'node_modules/pg': { version: '8.1.0' } })), 'node_modules is missing');
    });

    it('names a package that is missing or at another version than the lockfile', () => {
      assert.equal(deps.staleReason(project({ 'node_modules/pg': { version: '8.1.0' } }, {})), 'pg is not installed');
      assert.equal(deps.staleReason(project({ 'node_modules/pg': { version: '8.1.0' } }, { 'node_modules/pg': { version: '8.0.0' } })),
        'pg is 8.0.0, the lockfile says 8.1.0');
    });

    it('is undefined when npm installed what the lockfile pins (optional packages of other platforms may be absent)', () => {
      const root = project(
        { 'node_modules/pg': { version: '8.1.0' }, 'node_modules/@x/linux-arm': { version: '1.0.0', optional: true } },
        { 'node_modules/pg': { version: '8.1.0' } },
      );
      assert.equal(deps.staleReason(root), undefined);
    });

    it('finds this repository current after its own install, and the check runs in well under a second', () => {
      const t0 = Date.now();
      const res = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-deps.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      assert.doesNotMatch(res.stderr, /running npm/, 'no second install');
      assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    });
  });
});
