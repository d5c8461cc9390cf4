import { spawnSync } from 'node:child_process';

/**
 * Runs `promtool check metrics` on an exposition. `ok` means it parsed and promtool's lint found
 * nothing (exit 0; it exits 1 on a parse error and 3 on lint findings). Fails with the install
 * command when promtool is missing.
 */
export function promtoolCheckMetrics(exposition: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (r.error) {
    throw new Error(`promtool is not installed (${r.error.message}). Install it with: apt-get update && apt-get install -y prometheus`);
  }
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
