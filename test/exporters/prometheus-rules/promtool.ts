import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one promtool run. */
export interface PromtoolResult {
  status: number | null;
  output: string;
}

/** Runs promtool; throws with the install command when it is missing (a test must fail, not skip). */
export function promtool(args: readonly string[], cwd?: string): PromtoolResult {
  const res = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: apt-get install prometheus (Debian/Ubuntu) or download it from https://prometheus.io/download/ and put it on PATH');
  }
  return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}` };
}

/** Writes files into a fresh temporary directory and returns it. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-promtool-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
