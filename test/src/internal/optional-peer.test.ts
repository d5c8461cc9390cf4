import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadOptionalPeer, MissingPeerError } from '../../../src/internal/optional-peer';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT } from '../../helpers/temp-dir';

describe('loadOptionalPeer', () => {
  it('returns the package when it is installed', () => {
    const ioredis = loadOptionalPeer<{ Redis: unknown }>('ioredis');
    assert.equal(typeof ioredis.Redis, 'function');
  });

  it('throws a MissingPeerError naming the package when it is not installed', async () => {
    const module = join(REPO_ROOT, 'dist', 'src', 'internal', 'optional-peer.js');
    const child = new ChildApp(['--require', join(REPO_ROOT, 'test', 'fixtures', 'hide-packages.cjs'), '-e', `
      try { require(${JSON.stringify(module)}).loadOptionalPeer('ioredis'); console.log('loaded'); }
      catch (err) { console.log('error ' + JSON.stringify({ name: err.name, packageName: err.packageName, message: err.message })); }`,
    ], { cwd: REPO_ROOT, env: cleanEnv({ HIDE_PACKAGES: 'ioredis' }) });
    assert.equal(await child.exited, 0, child.stderr);
    const line = child.stdout.split('\n').find((l) => l.startsWith('error '));
    assert.ok(line, child.stdout);
    assert.deepEqual(JSON.parse(line.slice('error '.length)), {
      name: 'MissingPeerError',
      packageName: 'ioredis',
      message: 'the Redis rate-limit store (rateLimits.store: "redis") needs the "ioredis" package, which is not installed: npm install ioredis',
    });
    assert.equal(new MissingPeerError('nodemailer').packageName, 'nodemailer');
  });

  it('is the only place that loads ioredis or nodemailer (type-only imports aside)', () => {
    const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|mts)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name));
    const loads = /(?:require|import)\(\s*['"](?:ioredis|nodemailer)['"]\s*\)|^import\s+(?!type\b)[^;]*from\s+['"](?:ioredis|nodemailer)['"]/m;
    const offenders = ['src', 'instrumentations', 'exporters'].flatMap((d) => sources(join(REPO_ROOT, d)))
      .filter((f) => loads.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    assert.deepEqual(offenders, []);
  });
});
