import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { requirePostgres } from './pg-test-helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');

interface SpansOutput {
  scopes: Record<string, string[]>;
  selectCount: number;
  spans: number;
  spanNames: string[];
}

function runFixture<T>(file: string, args: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(FIXTURES, file), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}

describe('PgSpanDelegate with PulseguardPgInstrumentation (out of process)', () => {
  // The fixtures start in parallel: each is a fresh Node process (module state matters here).
  const runs: Record<string, Promise<SpansOutput>> = {};
  let viaStart: Promise<{ scopes: Record<string, string[]>; selects: number; upstreamWrapped: boolean }>;
  before(async function () {
    // Fresh Node processes are slow to start under coverage on a loaded 2-core machine.
    this.timeout(120_000);
    await requirePostgres();
    // Two at a time: more only contend for the same two cores.
    const queue: Array<() => void> = [];
    let running = 0;
    const limit = <T>(fn: () => Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
      const go = (): void => {
        running++;
        fn().then(resolve, reject).finally(() => {
          running--;
          queue.shift()?.();
        });
      };
      if (running < 2) go();
      else queue.push(go);
    });
    runs.fresh = limit(() => runFixture<SpansOutput>('pg-spans.cjs', ['fresh', '1', '20']));
    runs.preloaded = limit(() => runFixture<SpansOutput>('pg-spans.cjs', ['preloaded', '1', '20']));
    runs.sampled = limit(() => runFixture<SpansOutput>('pg-spans.cjs', ['fresh', '0.5', '200']));
    runs.upstream = limit(() => runFixture<SpansOutput>('pg-spans.cjs', ['fresh', '1', '20', 'upstream']));
    viaStart = limit(() => runFixture<{ scopes: Record<string, string[]>; selects: number; upstreamWrapped: boolean }>('pg-start-spans.cjs'));
    // Settle them all so a failure is reported by its own test, not as an unhandled rejection.
    await Promise.allSettled([...Object.values(runs), viaStart]);
  });

  for (const order of ['fresh', 'preloaded']) {
    it(`never double-counts: one db.client.operation.duration series set and one span per query (pg ${order})`, async () => {
      const out = await runs[order];
      assert.deepEqual(out.scopes['db.client.operation.duration'], ['pulseguard']);
      assert.equal(out.selectCount, 20);
      assert.equal(out.spans, 20, 'exactly one instrumentation-pg span per query (no stacked wrappers)');
      assert.deepEqual(out.spanNames, ['pg.query:SELECT test'], 'the span shape is instrumentation-pg\'s own');
    });
  }

  it('honours the sample ratio for spans while metrics still count every query', async () => {
    const some = await runs.sampled;
    assert.ok(some.spans > 40 && some.spans < 160, `${some.spans} of 200 sampled at 0.5`);
    assert.equal(some.selectCount, 200);
  });

  it('start() with instrumentations.pg.spans wires instrumentation-pg in, and its metrics stay off', async () => {
    const out = await viaStart;
    assert.equal(out.upstreamWrapped, true);
    for (const [name, scopes] of Object.entries(out.scopes)) assert.deepEqual(scopes, ['pulseguard'], name);
    assert.equal(out.selects, 10);
  });

  it('is what keeps the counts single: plain instrumentation-pg beside pulseguard would double them', async () => {
    const out = await runs.upstream;
    assert.equal(out.scopes['db.client.operation.duration'].length, 2);
    assert.equal(out.selectCount, 40);
  });
});

describe('ESM apps', () => {
  before(requirePostgres);

  it('measures `import pg from "pg"` after start(), without a loader hook', async function () {
    this.timeout(90_000);
    const out = await runFixture<{ selects: number; pools: number }>('pg-esm.mjs');
    assert.equal(out.selects, 8);
    assert.equal(out.pools, 1);
  });
});
