import { spawnSync } from 'node:child_process';

// promtool exits 1 on a parse error and 3 on lint findings only. These lint findings are for
// names that OpenTelemetry's stable semantic conventions define and that
// @opentelemetry/instrumentation-pg emits too (dashboards must work with either), so they are
// accepted; any other finding fails.
const ACCEPTED_LINT = [/^db_client_connection_count non-histogram and non-summary metrics should not have "_count" suffix$/];

/**
 * Runs `promtool check metrics` on an exposition. `ok` means it parsed and every lint finding is a
 * known semantic-convention name. Fails with the install command when promtool is missing.
 */
export function promtoolCheckMetrics(exposition: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (r.error) {
    throw new Error(`promtool is not installed (${r.error.message}). Install it with: apt-get update && apt-get install -y prometheus`);
  }
  const output = `${r.stdout}${r.stderr}`;
  if (r.status === 0) return { ok: true, output };
  const findings = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const lintOnly = r.status === 3 && findings.every((f) => ACCEPTED_LINT.some((re) => re.test(f)));
  return { ok: lintOnly, output };
}
