import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as stableSemconv from '@opentelemetry/semantic-conventions';
import { KNOWN_METRICS } from '../../../src/metrics/known-metrics';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** Every .ts file under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => relative(ROOT, join(ROOT, dir, f)));
}

/** Files that contain `'name'` as a string literal. */
function filesWithLiteral(files: string[], name: string): string[] {
  return files.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(`'${name}'`));
}

describe('KNOWN_METRICS (src/metrics/known-metrics.ts)', () => {
  const names = Object.keys(KNOWN_METRICS);
  const all = [...sources('src'), ...sources('instrumentations')];

  it('is assembled from constants: the catalogue, the rule pack, the report and the runtime shim write no metric name', () => {
    const readers = ['src/metrics/known-metrics.ts', 'src/rules/default-rules.ts', 'src/report/report-history.ts', 'src/host-metrics/collection-isolation.ts'];
    const literals = names.flatMap((n) => filesWithLiteral(readers, n).map((f) => `${f}: '${n}'`));
    assert.deepEqual(literals, []);
  });

  it('finds each name declared in a semconv.ts of the area that records it, or in the stable semantic conventions', () => {
    const stable = new Set<unknown>(Object.values(stableSemconv));
    const homeless = names.filter((n) => !stable.has(n) && !filesWithLiteral(all, n).some((f) => f.endsWith('/semconv.ts')));
    assert.deepEqual(homeless, []);
  });
});
