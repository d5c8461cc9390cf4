import { strict as assert } from 'node:assert';
import { Pool } from 'pg';
import { start, getTelemetry } from '../../../src/index';
import { PG, requirePostgres } from './pg-test-helpers';

describe('pg metrics on /metrics', () => {
  after(async () => {
    await getTelemetry()?.shutdown();
  });

  it('shows the Prometheus names docs/database.md lists', async () => {
    await requirePostgres();
    const t = await start({ service: { name: 'pg-prom' }, exporters: { prometheus: { port: 0, host: '127.0.0.1' } }, logging: { level: 'silent' },
      instrumentations: { http: { enabled: false }, runtime: { enabled: false } } });
    const pool = new Pool({ ...PG, max: 3 });
    try {
      await pool.query('SELECT 1');
      const body = await (await fetch(t.metricsUrl as string)).text();
      for (const re of [
        /^# TYPE db_client_operation_duration histogram$/m,
        /^db_client_operation_duration_bucket\{[^}]*db_operation_name="SELECT"[^}]*le="0.001"\}/m,
        // A gauge named like a histogram's _count series gets _current (promtool's lint).
        /^# TYPE db_client_connection_count_current gauge$/m,
        /^db_client_connection_count_current\{db_client_connection_state="idle",db_client_connection_pool_name="127.0.0.1:5432\/test"/m,
        /^# TYPE db_client_connection_pending_requests gauge$/m,
        /^# TYPE db_client_connection_max gauge$/m,
        /^# TYPE pulseguard_db_connection_available gauge$/m,
        /^# TYPE db_client_slow_queries_total counter$/m,
        /^db_client_slow_queries_total\{db_operation_name="TRANSACTION"/m,
      ]) assert.match(body, re);
    } finally {
      await pool.end();
    }
  });
});
