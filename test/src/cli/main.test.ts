import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv } from '../../helpers/child-app';
import { TempDir, REPO_ROOT } from '../../helpers/temp-dir';

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pulseguard executable (dist/src/cli/main.js)', () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.cleanup());

  it('package.json "bin" is the bundle\'s executable: a node shebang, and the same command line', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin.pulseguard, './dist/bundle/cli.js');
    const bin = join(REPO_ROOT, pkg.bin.pulseguard);
    assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok(readFileSync(MAIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
    dir.write('bin/pulseguard.config.json', JSON.stringify({ service: { name: 'bin-bundle' }, logging: { level: 'loud' } }));
    const r = spawnSync(bin, ['check'], { cwd: join(dir.path, 'bin'), env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /- logging\.level: expected one of/);
  });

  it('exits with the process exit codes: 0 valid, 1 invalid, 2 unknown command', () => {
    dir.write('ok/pulseguard.config.json', JSON.stringify({ service: { name: 'bin-ok' } }));
    dir.write('bad/pulseguard.config.json', JSON.stringify({ service: { name: 'bin-bad' }, logging: { level: 'loud' } }));
    const ok = run(['check'], join(dir.path, 'ok'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^service +bin-ok /m);
    const bad = run(['check'], join(dir.path, 'bad'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /- logging\.level: expected one of/);
    const unknown = run(['frobnicate'], dir.path);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });
});
