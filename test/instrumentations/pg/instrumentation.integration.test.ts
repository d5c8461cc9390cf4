import { strict as assert } from 'node:assert';
import { Pool, Client } from 'pg';
import { start, getTelemetry, type Telemetry } from '../../../src/index';
import { PG, requirePostgres, uniqueName, metricsNamed, pointsOf, histogramCount, valueOf } from './pg-test-helpers';

const DURATION = 'db.client.operation.duration';
const COUNT = 'db.client.connection.count';
const base = { 'db.system.name': 'postgresql', 'db.namespace': 'test', 'server.address': '127.0.0.1', 'server.port': 5432 };

describe('PulseguardPgInstrumentation (real PostgreSQL)', () => {
  let telemetry: Telemetry;
  let pool: Pool;
  let table: string;

  before(async () => {
    await requirePostgres();
    telemetry = await start({ service: { name: 'pg-it' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      instrumentations: { http: { enabled: false }, runtime: { enabled: false } } });
    table = uniqueName('pg_it');
    pool = new Pool({ ...PG, max: 4 });
    await pool.query(`CREATE TABLE ${table} (id int primary key, v text)`);
  });

  after(async () => {
    await pool?.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await pool?.end();
    await getTelemetry()?.shutdown();
  });

  describe('db.client.operation.duration', () => {
    it('is recorded once per query with the semconv name, unit, description and attributes instrumentation-pg uses', async () => {
      const before = await telemetry.collect();
      const sel0 = histogramCount(before, DURATION, { ...base, 'db.operation.name': 'SELECT' });
      const ins0 = histogramCount(before, DURATION, { ...base, 'db.operation.name': 'INSERT' });
      for (let i = 0; i < 5; i++) await pool.query('SELECT $1::int AS n', [i]);
      await pool.query(`INSERT INTO ${table} (id, v) VALUES ($1, $2)`, [1, 'a']);
      await new Promise<void>((resolve, reject) => pool.query('select 2', (err) => (err ? reject(err) : resolve())));
      const after = await telemetry.collect();
      const [metric] = metricsNamed(after, DURATION);
      assert.equal(metric.descriptor.unit, 's');
      assert.equal(metric.descriptor.description, 'Duration of database client operations.');
      assert.equal(metricsNamed(after, DURATION).length, 1);
      assert.equal(histogramCount(after, DURATION, { ...base, 'db.operation.name': 'SELECT' }) - sel0, 6);
      assert.equal(histogramCount(after, DURATION, { ...base, 'db.operation.name': 'INSERT' }) - ins0, 1);
      const point = pointsOf(after, DURATION, { ...base, 'db.operation.name': 'SELECT' })[0];
      assert.deepEqual(Object.keys(point.attributes).sort(), ['db.namespace', 'db.operation.name', 'db.system.name', 'server.address', 'server.port']);
      const v = point.value as { buckets: { boundaries: number[] }; sum: number; count: number };
      assert.deepEqual(v.buckets.boundaries, [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);
      assert.ok(v.sum > 0 && v.sum / v.count < 1, `mean ${v.sum / v.count} s is a plausible SELECT duration in seconds`);
    });

    it('labels failed queries with the SQLSTATE as error.type and passes the error through unchanged', async () => {
      const filter = { ...base, 'db.operation.name': 'SELECT', 'error.type': '42P01' };
      const before = histogramCount(await telemetry.collect(), DURATION, filter);
      await assert.rejects(pool.query('SELECT * FROM no_such_table_pulseguard'), (err: Error & { code?: string }) => err.code === '42P01');
      const c = new Client(PG);
      await c.connect();
      await assert.rejects(c.query('SELECT * FROM no_such_table_pulseguard'), /does not exist/);
      await c.end();
      assert.equal(histogramCount(await telemetry.collect(), DURATION, filter) - before, 2);
    });

    it('collapses operation names of malformed or dynamic SQL to a bounded set', async () => {
      for (let i = 0; i < 30; i++) {
        await pool.query(`bogus_${i}_${Date.now()} x`).catch(() => {});
        await pool.query(`/* tenant ${i} */ select ${i}`);
      }
      const names = new Set(pointsOf(await telemetry.collect(), DURATION).map((p) => String(p.attributes['db.operation.name'])));
      assert.ok(names.has('_OTHER'));
      for (const n of names) assert.match(n, /^(_OTHER|[A-Z]+|undefined)$/, n);
      assert.ok(names.size < 15, [...names].join(','));
    });
  });

  describe('connection pool metrics', () => {
    it('reports used/idle from the pool at collect time, so a quiet pool shows used=0 (no release lag)', async () => {
      const p = new Pool({ ...PG, max: 3, application_name: uniqueName('lag') });
      await Promise.all([p.query('SELECT 1'), p.query('SELECT 1'), p.query('SELECT 1')]);
      const name = '127.0.0.1:5432/test';
      const quiet = await telemetry.collect();
      const total = p.totalCount;
      assert.ok(total >= 1);
      // Several pools share this name (the suite's, this one): compare with their own counters.
      assert.equal(valueOf(quiet, COUNT, { 'db.client.connection.pool.name': name, 'db.client.connection.state': 'used' }), 0);
      assert.equal(valueOf(quiet, COUNT, { 'db.client.connection.pool.name': name, 'db.client.connection.state': 'idle' }), total + pool.idleCount);
      // Two pools, one name: one point per attribute set (no duplicate series), numbers summed.
      assert.equal(pointsOf(quiet, COUNT, { 'db.client.connection.pool.name': name, 'db.client.connection.state': 'idle' }).length, 1);
      assert.equal(pointsOf(quiet, 'db.client.connection.max', { 'db.client.connection.pool.name': name }).length, 1);
      assert.equal(valueOf(quiet, 'db.client.connection.max', { 'db.client.connection.pool.name': name }), 3 + 4);
      const held = await p.connect();
      const busy = await telemetry.collect();
      assert.equal(valueOf(busy, COUNT, { 'db.client.connection.pool.name': name, 'db.client.connection.state': 'used' }), 1);
      held.release();
      const released = await telemetry.collect();
      assert.equal(valueOf(released, COUNT, { 'db.client.connection.pool.name': name, 'db.client.connection.state': 'used' }), 0);
      await p.end();
      const ended = await telemetry.collect();
      assert.equal(valueOf(ended, 'db.client.connection.max', { 'db.client.connection.pool.name': name }), 4, 'only the suite pool (max 4) is left');
    });

    it('reports pending requests, max and available while the pool is exhausted', async () => {
      const p = new Pool({ ...PG, host: 'localhost', max: 2 });
      const name = 'localhost:5432/test';
      const a = await p.connect();
      const b = await p.connect();
      const waiting = [p.query('SELECT 1'), p.query('SELECT 1'), p.query('SELECT 1')];
      const rm = await telemetry.collect();
      const f = { 'db.client.connection.pool.name': name };
      assert.equal(valueOf(rm, 'db.client.connection.pending_requests', f), 3);
      assert.equal(valueOf(rm, 'db.client.connection.max', f), 2);
      assert.equal(valueOf(rm, 'pulseguard.db.connection.available', f), 0);
      assert.equal(valueOf(rm, COUNT, { ...f, 'db.client.connection.state': 'used' }), 2);
      const [m] = metricsNamed(rm, 'db.client.connection.pending_requests');
      assert.equal(m.descriptor.unit, '{connection}');
      a.release();
      b.release();
      await Promise.all(waiting);
      const after = await telemetry.collect();
      assert.equal(valueOf(after, 'db.client.connection.pending_requests', f), 0);
      assert.equal(valueOf(after, 'pulseguard.db.connection.available', f), 2);
      await p.end();
    });
  });

  describe('telemetry.db', () => {
    it('is part of the Telemetry handle', () => {
      assert.equal(typeof telemetry.db.slowQueries, 'function');
      assert.equal(typeof telemetry.db.healthCheck, 'function');
    });
  });
});

describe('instrumentations.pg.enabled = false', () => {
  after(async () => {
    await getTelemetry()?.shutdown();
  });

  it('measures nothing but keeps telemetry.db usable', async () => {
    await requirePostgres();
    const t = await start({ service: { name: 'pg-off' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      instrumentations: { http: { enabled: false }, runtime: { enabled: false }, pg: { enabled: false } } });
    const before = histogramCount(await t.collect(), DURATION);
    const p = new Pool({ ...PG, max: 1 });
    await p.query('SELECT pg_sleep(0.12)');
    assert.equal(histogramCount(await t.collect(), DURATION), before);
    assert.deepEqual(t.db.slowQueries(), []);
    assert.equal((await t.db.healthCheck(p)).status, 'warn'); // pool max 1 < minAvailable 2
    await p.end();
  });
});
