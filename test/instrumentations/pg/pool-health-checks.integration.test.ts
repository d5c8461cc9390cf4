import { strict as assert } from 'node:assert';
import { Pool } from 'pg';
import { start, getTelemetry, type Telemetry } from '../../../src/index';
import { getJson } from '../../helpers/health';
import { PG, requirePostgres, closedPort, valueOf } from './pg-test-helpers';

interface HealthBody { status: string; checks: Record<string, Array<{ status: string; componentType?: string; output?: string }>> }

describe('pg pools as /health checks (real PostgreSQL)', () => {
  let telemetry: Telemetry;
  const pools: Pool[] = [];
  const pool = (config: ConstructorParameters<typeof Pool>[0]): Pool => {
    const p = new Pool(config);
    p.on('error', () => {});
    pools.push(p);
    return p;
  };

  before(async () => {
    await requirePostgres();
  });
  afterEach(async () => {
    for (const p of pools.splice(0)) if (!p.ending) await p.end().catch(() => {});
    await getTelemetry()?.shutdown();
  });

  const startWith = (pg: Record<string, unknown> = {}) => start({
    service: { name: 'pg-health-auto' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
    health: { port: 0, host: '127.0.0.1', cacheTtlMs: 0 },
    instrumentations: { http: { enabled: false }, runtime: { enabled: false }, pg },
  });
  const health = async (): Promise<HealthBody> => (await getJson(`${telemetry.health.url}/health`)).body as unknown as HealthBody;

  it('registers a check per instrumented pool, named after it, and removes it when the pool ends', async () => {
    telemetry = await startWith();
    assert.deepEqual((await health()).checks, {}, 'no pool used yet');
    const app = pool({ ...PG, max: 3 });
    await app.query('SELECT 1');
    const down = pool({ host: '127.0.0.1', port: await closedPort(), database: 'gone', user: 'postgres', connectionTimeoutMillis: 500 });
    await down.query('SELECT 1').catch(() => {});
    const body = await health();
    assert.deepEqual(Object.keys(body.checks).sort(), [`database:127.0.0.1:${down.options.port}/gone`, 'database:127.0.0.1:5432/test'].sort());
    const [ok] = body.checks['database:127.0.0.1:5432/test'];
    assert.equal(ok.status, 'pass', ok.output);
    assert.equal(ok.componentType, 'datastore');
    assert.equal(body.checks[`database:127.0.0.1:${down.options.port}/gone`][0].status, 'fail');
    assert.equal(body.status, 'fail');
    await down.end();
    const after = await health();
    assert.deepEqual(Object.keys(after.checks), ['database:127.0.0.1:5432/test']);
    assert.equal(after.status, 'pass');
  });

  it('names a pool made from a connection string host:port/database, without the password, in /health and the pool metrics', async () => {
    telemetry = await startWith();
    const p = pool({ connectionString: `postgres://postgres:not-the-password@127.0.0.1:${PG.port}/test?application_name=cs`, max: 2 });
    const q = pool({ connectionString: `postgresql://postgres:x@localhost:${PG.port}/test`, max: 2 });
    await p.query('SELECT 1');
    await q.query('SELECT 1');
    const body = await health();
    // Two pools with one name (127.0.0.1 vs localhost differ) and one check each.
    assert.deepEqual(Object.keys(body.checks).sort(), ['database:127.0.0.1:5432/test', 'database:localhost:5432/test']);
    assert.ok(!JSON.stringify(body).includes('not-the-password'));
    const rm = await telemetry.collect();
    assert.equal(valueOf(rm, 'db.client.connection.max', { 'db.client.connection.pool.name': '127.0.0.1:5432/test' }), 2);
    assert.equal(valueOf(rm, 'db.client.connection.max', { 'db.client.connection.pool.name': 'unknown_host:unknown_port/unknown_database' }), 0);
  });

  it('gives a second pool with the same name its own check', async () => {
    telemetry = await startWith();
    await pool({ ...PG, max: 1 }).query('SELECT 1');
    await pool({ ...PG, max: 1 }).query('SELECT 1');
    assert.deepEqual(Object.keys((await health()).checks), ['database:127.0.0.1:5432/test', 'database:127.0.0.1:5432/test#2']);
  });

  it('registers none with instrumentations.pg.healthChecks: false', async () => {
    telemetry = await startWith({ healthChecks: false });
    await pool({ ...PG, max: 1 }).query('SELECT 1');
    assert.deepEqual((await health()).checks, {});
  });
});
