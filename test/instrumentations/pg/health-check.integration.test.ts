import { strict as assert } from 'node:assert';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Pool, Client } from 'pg';
import { start, getTelemetry, type Telemetry } from '../../../src/index';
import { checkDatabase } from '../../../instrumentations/pg/health-check';
import { PG, requirePostgres, uniqueName, closedPort, histogramCount } from './pg-test-helpers';

/** A TCP proxy to PostgreSQL that can be stopped (refusing connections) and started again on the same port. */
class PgProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  async start(): Promise<void> {
    const server = createServer((down) => {
      const up = connect(PG.port as number, PG.host as string);
      for (const s of [down, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      down.pipe(up).pipe(down);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

describe('database health check (real PostgreSQL)', () => {
  let telemetry: Telemetry;

  before(async () => {
    await requirePostgres();
    telemetry = await start({ service: { name: 'pg-health' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      instrumentations: { http: { enabled: false }, runtime: { enabled: false } } });
  });
  after(async () => {
    await getTelemetry()?.shutdown();
  });

  describe('checkDatabase()', () => {
    it('passes on a healthy pool and reports the SELECT 1 time and pool state', async () => {
      const pool = new Pool({ ...PG, max: 5 });
      try {
        const r = await checkDatabase(pool, { warnLatencyMs: 2000 });
        assert.equal(r.status, 'pass', r.output);
        assert.equal(r.observedUnit, 'ms');
        assert.equal(r.componentType, 'datastore');
        assert.ok(r.observedValue > 0 && r.observedValue < 2000);
        assert.deepEqual(r.pool, { total: 1, idle: 1, waiting: 0, max: 5, available: 5 });
        assert.ok(!Number.isNaN(Date.parse(r.time)));
      } finally {
        await pool.end();
      }
    });

    it('warns when fewer than minAvailable connections are left, and fails when the exhausted pool cannot answer in time', async () => {
      const pool = new Pool({ ...PG, max: 2 });
      const a = await pool.connect();
      try {
        const warn = await checkDatabase(pool, { warnLatencyMs: 2000 });
        assert.equal(warn.status, 'warn');
        assert.match(String(warn.output), /1 connections available \(< 2\)/);
        const b = await pool.connect();
        const fail = await checkDatabase(pool, { timeoutMs: 150 });
        assert.equal(fail.status, 'fail');
        assert.match(String(fail.output), /timed out after 150 ms/);
        assert.equal(fail.pool.available, 0);
        assert.equal(fail.pool.waiting, 1);
        // Repeated checks share the queued probe instead of piling up waiters.
        const again = await checkDatabase(pool, { timeoutMs: 100 });
        assert.equal(again.status, 'fail');
        assert.equal(again.pool.waiting, 1);
        b.release();
      } finally {
        a.release();
      }
      assert.equal((await checkDatabase(pool, { warnLatencyMs: 2000 })).status, 'pass');
      await pool.end();
    });

    it('fails with the connection error when the server refuses connections, without throwing', async () => {
      const pool = new Pool({ ...PG, port: await closedPort(), max: 2 });
      const r = await checkDatabase(pool);
      assert.equal(r.status, 'fail');
      assert.match(String(r.output), /^ECONNREFUSED: /);
      assert.doesNotMatch(String(r.output), /password/i);
      await pool.end();
    });
  });

  describe('outages', () => {
    let proxy: PgProxy;
    let pool: Pool;
    let http: HttpServer;
    let url: string;

    before(async () => {
      proxy = new PgProxy();
      await proxy.start();
      // No 'error' listener of the app's own: pulseguard's keeps a killed idle client from crashing it.
      pool = new Pool({ ...PG, port: proxy.port, max: 3, application_name: uniqueName('pg_outage') });
      http = createHttpServer((_req, res) => {
        void telemetry.db.healthCheck(pool, { timeoutMs: 1000, warnLatencyMs: 2000, minAvailable: 0 }).then((r) => {
          res.statusCode = r.status === 'fail' ? 503 : 200;
          res.end(JSON.stringify(r));
        });
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(http.address() as { port: number }).port}/health`;
    });
    after(async () => {
      await pool?.end().catch(() => {});
      await proxy?.stop();
      http?.close();
    });

    it('survives killed backends (pg_terminate_backend): idle ones are dropped, a running query fails with 57P01', async () => {
      const admin = new Client(PG);
      await admin.connect();
      try {
        await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
        const busy = await pool.connect();
        // As node-postgres asks of apps: a checked-out client needs its own 'error' listener. Its
        // socket can end ("Connection terminated unexpectedly") after the query failed and before
        // release(); pg-pool listens only on idle clients, and pulseguard must not swallow it.
        const lateErrors: Error[] = [];
        busy.on('error', (err) => lateErrors.push(err));
        const running = busy.query('SELECT pg_sleep(5)');
        await new Promise((r) => setTimeout(r, 100));
        const before = histogramCount(await telemetry.collect(), 'db.client.operation.duration', { 'error.type': '57P01' });
        assert.equal(pool.listenerCount('error'), 1, "pulseguard's listener is the only one");
        const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [pool.options.application_name]);
        assert.ok(killed.rowCount !== null && killed.rowCount >= 2, `terminated ${killed.rowCount}`);
        await assert.rejects(running, (err: Error & { code?: string }) => err.code === '57P01');
        busy.release(true);
        const deadline = Date.now() + 3000;
        while (pool.totalCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(pool.totalCount, 0, 'the pool dropped every killed client');
        for (const err of lateErrors) assert.match(err.message, /terminat/i, 'only the killed connection ends late');
        assert.equal(histogramCount(await telemetry.collect(), 'db.client.operation.duration', { 'error.type': '57P01' }) - before, 1);
        assert.equal((await pool.query('SELECT 1 AS ok')).rows[0].ok, 1, 'new connections work');
      } finally {
        await admin.end();
      }
    });

    it('turns /health 503 while the server refuses connections and 200 again when it is back', async () => {
      assert.equal((await fetch(url)).status, 200);
      await proxy.stop();
      const down = await fetch(url);
      assert.equal(down.status, 503);
      const body = (await down.json()) as { status: string; output: string };
      assert.equal(body.status, 'fail');
      assert.match(body.output, /ECONNREFUSED|ECONNRESET|Connection terminated/);
      await proxy.start();
      const deadline = Date.now() + 3000;
      let status = 0;
      while (Date.now() < deadline && (status = (await fetch(url)).status) !== 200) await new Promise((r) => setTimeout(r, 50));
      assert.equal(status, 200);
      assert.equal((await pool.query('SELECT 2 AS two')).rows[0].two, 2);
    });
  });
});
