import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'architecture');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/**
 * Runs the repository's .dependency-cruiser.cjs on `cwd` with the reporter `npm run lint` uses (its
 * exit code is the number of errors) and lists the violations as `rule: from -> to`; a cycle is
 * listed by its first step.
 */
async function cruise(cwd: string, paths: string[]): Promise<{ exitCode: number; violations: string[] }> {
  const args = [CRUISER, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err', ...paths];
  let exitCode = 0;
  let stdout: string;
  try {
    stdout = (await promisify(execFile)(process.execPath, args, { cwd })).stdout;
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string };
    if (typeof e.code !== 'number' || e.stdout === undefined) throw err;
    exitCode = e.code;
    stdout = e.stdout;
  }
  const violations = [...stdout.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map((m) => `${m[1]}: ${m[2]} -> ${m[3]}`);
  return { exitCode, violations };
}

describe('.dependency-cruiser.cjs (npm run lint)', () => {
  it('fails on each kind of import against the data path, and on cycles, and on nothing else', async () => {
    const { exitCode, violations } = await cruise(FIXTURE, ['src', 'instrumentations']);
    const found = [...violations].sort();
    assert.deepEqual(found, [
      'adapters-stay-light: src/adapters/bad-loads-health.ts -> src/health/registry.ts',
      'evaluator-engine-only: src/evaluator/bad-notifies.ts -> src/alerting/notify.ts',
      'metrics-stream-upstream: src/metrics/bad-reads-patch.ts -> instrumentations/ws/patch.ts',
      'no-circular: src/cycle/bad-a.ts -> src/cycle/bad-b.ts',
      // The composition root matches under its old and its new name (src/telemetry, src/sdk).
      'only-the-root-composes: instrumentations/ws/bad-starts-renamed-root.ts -> src/sdk/start.ts',
      'only-the-root-composes: instrumentations/ws/bad-starts.ts -> src/telemetry/start.ts',
      'producers-upstream: instrumentations/ws/bad-evaluates.ts -> src/evaluator/judge.ts',
    ]);
    assert.equal(exitCode, found.length, 'the cruiser exits non-zero, so `npm run lint` fails');
  });

});
