import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';

/** The exports of scripts/prune-dist.mjs (plain ESM, loaded at run time). */
interface PruneDist {
  pruneDist(root: string): string[];
}

describe('scripts/prune-dist.mjs', () => {
  let prune: PruneDist;
  before(async () => {
    prune = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'prune-dist.mjs')).href)) as PruneDist;
  });

  it('removes the outputs of a moved or deleted source (a stale test mocha would run) and keeps the rest', () => {
    const dir = new TempDir();
    try {
      dir.write('test/kept.test.ts', '');
      dir.write('src/register.mts', '');
      for (const f of ['kept.test.js', 'kept.test.js.map', 'kept.test.d.ts', 'gone.test.js', 'gone.test.js.map', 'gone.test.d.ts']) dir.write(`dist/test/${f}`, '');
      for (const f of ['register.mjs', 'register.mjs.map', 'register.d.mts', 'old.mjs']) dir.write(`dist/src/${f}`, '');
      dir.write('dist/src/moved/helper.js', '');
      dir.write('dist/src/notes.txt', '');
      dir.write('dist/bundle/pulseguard.js', '');
      const removed = prune.pruneDist(dir.path).sort();
      assert.deepEqual(removed, ['dist/src/moved/helper.js', 'dist/src/old.mjs', 'dist/test/gone.test.d.ts', 'dist/test/gone.test.js', 'dist/test/gone.test.js.map']);
      for (const f of ['dist/test/kept.test.js', 'dist/test/kept.test.js.map', 'dist/test/kept.test.d.ts', 'dist/src/register.mjs', 'dist/src/register.d.mts', 'dist/src/notes.txt', 'dist/bundle/pulseguard.js']) {
        assert.ok(existsSync(join(dir.path, f)), `${f} kept`);
      }
      assert.ok(!existsSync(join(dir.path, 'dist/src/moved')), 'the emptied folder goes too');
    } finally {
      dir.cleanup();
    }
  });

  it('runs in `npm run build`, after tsc', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(scripts.build, /^tsc -p tsconfig\.json && node scripts\/prune-dist\.mjs && node scripts\/bundle\.mjs$/);
  });
});
