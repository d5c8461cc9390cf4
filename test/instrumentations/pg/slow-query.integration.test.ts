import { strict as assert } from 'node:assert';
import { Pool } from 'pg';
import { start, getTelemetry, type Telemetry } from '../../../src/index';
import { LogCapture } from '../../helpers/log-capture';
import { createLogger } from '../../../src/logging/index';
import { PulseguardPgInstrumentation } from '../../../instrumentations/pg/instrumentation';
import { PG, requirePostgres, uniqueName, valueOf } from './pg-test-helpers';

const SLOW = 'db.client.slow_queries';

async function waitFor<T>(read: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('slow-query analysis (real PostgreSQL)', () => {
  let telemetry: Telemetry;
  let pool: Pool;
  let table: string;

  before(async () => {
    await requirePostgres();
    telemetry = await start({
      service: { name: 'pg-slow' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      instrumentations: { http: { enabled: false }, runtime: { enabled: false }, pg: { explainSlowQueries: true } },
      thresholds: { database: { transactionTime: 200 } },
    });
    table = uniqueName('pg_slow');
    pool = new Pool({ ...PG, max: 3 });
    await pool.query(`CREATE TABLE ${table} (id int primary key, v text)`);
    await pool.query(`INSERT INTO ${table} VALUES (1, 'x')`);
  });

  after(async () => {
    await pool?.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await pool?.end();
    await getTelemetry()?.shutdown();
  });

  it('counts queries over 100 ms, reports them by normalised statement and explains reads with a generic plan', async () => {
    const since = Date.now();
    const before = valueOf(await telemetry.collect(), SLOW, { 'db.operation.name': 'SELECT' });
    await pool.query(`SELECT pg_sleep(0.15), v FROM ${table} WHERE v <> 'private-value'`); // one row: sleeps once
    await pool.query('SELECT pg_sleep(0.01)'); // fast: not counted
    const rm = await telemetry.collect();
    assert.equal(valueOf(rm, SLOW, { 'db.operation.name': 'SELECT' }) - before, 1);
    const [m] = rm.scopeMetrics.flatMap((s) => s.metrics).filter((x) => x.descriptor.name === SLOW);
    assert.equal(m.descriptor.unit, '{query}');

    const top = telemetry.db.slowQueries({ since });
    assert.equal(top.length, 1);
    assert.equal(top[0].statement, `SELECT pg_sleep($1), v FROM ${table} WHERE v <> $2`);
    assert.equal(top[0].count, 1);
    assert.ok(top[0].totalMs >= 140, String(top[0].totalMs));
    const plan = await waitFor(() => telemetry.db.slowQueries({ since })[0].plan);
    const text = JSON.stringify(plan);
    assert.match(text, /"Node Type"/);
    assert.doesNotMatch(text, /private-value/, 'the plan is generic: no parameter value in it');
    assert.doesNotMatch(text, /Actual Total Time/, 'never EXPLAIN ANALYZE');
  });

  it('reports why there is no plan when PostgreSQL cannot prepare the statement', async () => {
    const since = Date.now();
    // Runs as written, but once 'abc' becomes $2 nothing gives $2 a type.
    await pool.query("SELECT pg_sleep(0.12), 'abc' IS NULL AS y");
    const plan = await waitFor(() => telemetry.db.slowQueries({ since })[0]?.plan);
    assert.deepEqual(plan, { error: '42P18' }); // indeterminate_datatype
  });

  it('never explains a write', async () => {
    const since = Date.now();
    await pool.query(`UPDATE ${table} SET v = 'y' WHERE pg_sleep(0.12) IS NOT NULL AND id = 1`);
    await new Promise((r) => setTimeout(r, 200));
    const [stat] = telemetry.db.slowQueries({ since });
    assert.equal(stat.operation, 'UPDATE');
    assert.equal(stat.plan, undefined);
    assert.equal((await pool.query(`SELECT v FROM ${table} WHERE id = 1`)).rows[0].v, 'y');
  });

  it('measures a transaction from BEGIN to COMMIT and counts it as TRANSACTION when over the threshold', async () => {
    const since = Date.now();
    const before = valueOf(await telemetry.collect(), SLOW, { 'db.operation.name': 'TRANSACTION' });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // 6 x 40 ms: the transaction is over its 200 ms threshold, each query well under 100 ms.
      for (let i = 0; i < 6; i++) await client.query('SELECT pg_sleep(0.04)');
      await client.query('COMMIT');
      // A fast transaction is not counted.
      await client.query('BEGIN');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    assert.equal(valueOf(await telemetry.collect(), SLOW, { 'db.operation.name': 'TRANSACTION' }) - before, 1);
    const tx = telemetry.db.slowQueries({ since }).find((s) => s.operation === 'TRANSACTION');
    assert.ok(tx && tx.maxMs >= 240, JSON.stringify(tx));
    // Each pg_sleep(0.04) was under the query threshold.
    assert.equal(telemetry.db.slowQueries({ since }).filter((s) => s.operation === 'SELECT').length, 0);
  });
});

describe('slow-query logging', () => {
  let inst: PulseguardPgInstrumentation | undefined;
  after(() => inst?.disable());

  it('logs the normalised statement, never the literal values', async () => {
    await requirePostgres();
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    inst = new PulseguardPgInstrumentation({ logger, slowQueryThresholdMs: 50 });
    const pool = new Pool({ ...PG, max: 1 });
    try {
      await pool.query("SELECT pg_sleep(0.06), 'card-4111111111111111' AS secret");
    } finally {
      await pool.end();
    }
    const lines = capture.json().filter((l) => l.msg === 'slow database query');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].statement, 'SELECT pg_sleep($1), $2 AS secret');
    assert.equal(lines[0].operation, 'SELECT');
    assert.equal(lines[0].thresholdMs, 50);
    assert.doesNotMatch(capture.text, /4111|card-/);
  });
});
