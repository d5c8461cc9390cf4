import { strict as assert } from 'node:assert';
import { validateConfig, resolveConfig } from '../../../src/config/index';

describe('config: instrumentations.pg', () => {
  it('defaults to lean metrics on, spans off, and the documented slow-query options', () => {
    const pg = resolveConfig({ service: { name: 's' } }).instrumentations.pg;
    assert.deepEqual(pg, {
      enabled: true, spans: false, spanSampleRatio: 1, explainSlowQueries: false, explainPerMinute: 6,
      logSlowQueries: true, slowQueryRetentionMs: 3_600_000, handlePoolErrors: true, healthCheckTimeoutMs: 5000, healthChecks: true,
    });
  });

  it('rejects out-of-range values and unknown keys, by path', () => {
    const r = validateConfig({ service: { name: 's' }, instrumentations: { pg: { spanSampleRatio: 2, explainPerMinute: -1, healthCheckTimeoutMs: 0, bogus: true } } });
    assert.equal(r.ok, false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    for (const p of ['instrumentations.pg.spanSampleRatio', 'instrumentations.pg.explainPerMinute', 'instrumentations.pg.healthCheckTimeoutMs']) {
      assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    }
    assert.ok(paths.some((p) => p.startsWith('instrumentations.pg')) && r.ok === false && r.problems.some((p) => /bogus/.test(p.message) || /bogus/.test(p.path)));
  });
});
