import { strict as assert } from 'node:assert';
import { SlowQueryAnalyzer } from '../../../instrumentations/pg/slow-query-analyzer';
import { SlowQueryCollector } from '../../../instrumentations/pg/metrics/slow-query-collector';
import { ExplainRunner } from '../../../instrumentations/pg/explain-runner';

function makeAnalyzer(now: { t: number }, lines: Array<{ obj: Record<string, unknown>; msg: string }>): { a: SlowQueryAnalyzer; c: SlowQueryCollector } {
  const c = new SlowQueryCollector();
  const a = new SlowQueryAnalyzer({
    collector: c,
    logger: { warn: (obj, msg) => lines.push({ obj, msg }) },
    explainer: undefined,
    retentionMs: 3_600_000,
    thresholdMs: 100,
    transactionThresholdMs: 500,
    now: () => now.t,
  });
  return { a, c };
}

describe('SlowQueryAnalyzer', () => {
  describe('#slowQuery', () => {
    it('counts db.client.slow_queries per operation and logs the normalised statement, never values', () => {
      const now = { t: 1_000_000 };
      const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
      const { a, c } = makeAnalyzer(now, lines);
      const before = c.value('UPDATE');
      a.slowQuery('UPDATE', "UPDATE accounts SET owner = 'alice@example.com' WHERE id = 42", 150, undefined);
      assert.equal(c.value('UPDATE') - before, 1);
      assert.equal(lines.length, 1);
      assert.equal(lines[0].msg, 'slow database query');
      assert.equal(lines[0].obj.statement, 'UPDATE accounts SET owner = $1 WHERE id = $2');
      assert.equal(lines[0].obj.durationMs, 150);
      assert.doesNotMatch(JSON.stringify(lines), /alice|42/);
    });

    it('logs a statement at most once a minute but counts every occurrence', () => {
      const now = { t: 2_000_000 };
      const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
      const { a } = makeAnalyzer(now, lines);
      a.slowQuery('SELECT', 'SELECT pg_sleep(1)', 120, undefined);
      now.t += 30_000;
      a.slowQuery('SELECT', 'SELECT pg_sleep(2)', 130, undefined);
      assert.equal(lines.length, 1);
      now.t += 31_000;
      a.slowQuery('SELECT', 'SELECT pg_sleep(3)', 140, undefined);
      assert.equal(lines.length, 2);
      assert.equal(a.slowQueries()[0].count, 3);
    });
  });

  describe('#slowQueries', () => {
    it('ranks statements by total time, groups by normalised text and honours since and limit', () => {
      const now = { t: 10_000_000 };
      const { a } = makeAnalyzer(now, []);
      a.slowQuery('SELECT', 'SELECT * FROM a WHERE id = 1', 200, undefined);
      a.slowQuery('SELECT', 'SELECT * FROM a WHERE id = 2', 300, undefined);
      a.slowQuery('SELECT', 'SELECT * FROM b', 400, undefined);
      now.t += 1000;
      const cut = now.t;
      a.slowQuery('DELETE', 'DELETE FROM c WHERE x = 5', 150, undefined);
      a.slowTransaction(900);

      const all = a.slowQueries();
      assert.deepEqual(all.map((s) => [s.statement, s.count, s.totalMs]), [
        ['TRANSACTION', 1, 900],
        ['SELECT * FROM a WHERE id = $1', 2, 500],
        ['SELECT * FROM b', 1, 400],
        ['DELETE FROM c WHERE x = $1', 1, 150],
      ]);
      assert.equal(all[1].meanMs, 250);
      assert.equal(all[1].maxMs, 300);
      assert.equal(all[1].operation, 'SELECT');

      assert.deepEqual(a.slowQueries({ since: cut }).map((s) => s.statement), ['TRANSACTION', 'DELETE FROM c WHERE x = $1']);
      assert.deepEqual(a.slowQueries({ since: new Date(cut), limit: 1 }).map((s) => s.statement), ['TRANSACTION']);
    });

    it('drops events older than the retention window', () => {
      const now = { t: 50_000_000 };
      const { a } = makeAnalyzer(now, []);
      a.slowQuery('SELECT', 'SELECT 1', 200, undefined);
      now.t += 3_600_001;
      assert.deepEqual(a.slowQueries({ since: 0 }), []);
    });
  });

  describe('#slowTransaction', () => {
    it('counts transactions under db.operation.name TRANSACTION and logs them', () => {
      const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
      const { a, c } = makeAnalyzer({ t: 1 }, lines);
      const before = c.value('TRANSACTION');
      a.slowTransaction(700);
      assert.equal(c.value('TRANSACTION') - before, 1);
      assert.equal(lines[0].msg, 'slow database transaction');
      assert.equal(lines[0].obj.thresholdMs, 500);
    });
  });
});

describe('ExplainRunner', () => {
  describe('#tryAcquire', () => {
    it('allows at most perMinute explains a minute and refills over time', () => {
      const now = { t: 0 };
      const r = new ExplainRunner(3, () => now.t);
      assert.deepEqual([r.tryAcquire(), r.tryAcquire(), r.tryAcquire(), r.tryAcquire()], [true, true, true, false]);
      now.t += 20_000; // one token back
      assert.equal(r.tryAcquire(), true);
      assert.equal(r.tryAcquire(), false);
    });

    it('never allows any when perMinute is 0', () => {
      assert.equal(new ExplainRunner(0, () => 0).tryAcquire(), false);
    });
  });
});
