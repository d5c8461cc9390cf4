import { Client, type PoolConfig } from 'pg';
import { createServer } from 'node:net';
import type { ResourceMetrics, MetricData, DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';

/** Connection settings of the test database (trust auth, database `test`; scripts/prepare-test-env.sh). */
export const PG: PoolConfig = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' };

export const PG_NOT_RUNNING =
  'PostgreSQL is not running on 127.0.0.1:5432; start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** Fails (never skips) with the start command when PostgreSQL is not reachable. */
export async function requirePostgres(): Promise<void> {
  const c = new Client({ ...PG, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (err) {
    throw new Error(`${PG_NOT_RUNNING} (${(err as Error).message})`);
  } finally {
    await c.end().catch(() => {});
  }
}

/** A name unique to this run and call, for tables other engineers' runs cannot collide with. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

/** A local TCP port nothing listens on (bound, then closed): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Every metric with this name, across scopes. */
export function metricsNamed(rm: ResourceMetrics, name: string): MetricData[] {
  return rm.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.descriptor.name === name));
}

function matches(attrs: Attributes, filter: Attributes): boolean {
  return Object.entries(filter).every(([k, v]) => attrs[k] === v);
}

/** Data points of a metric whose attributes include `filter`. */
export function pointsOf(rm: ResourceMetrics, name: string, filter: Attributes = {}): DataPoint<unknown>[] {
  return metricsNamed(rm, name).flatMap((m) => (m.dataPoints as DataPoint<unknown>[]).filter((p) => matches(p.attributes, filter)));
}

/** Sum of histogram counts over the matching points. */
export function histogramCount(rm: ResourceMetrics, name: string, filter: Attributes = {}): number {
  return pointsOf(rm, name, filter).reduce((n, p) => n + (p.value as Histogram).count, 0);
}

/** Sum of the matching sum/gauge values. */
export function valueOf(rm: ResourceMetrics, name: string, filter: Attributes = {}): number {
  return pointsOf(rm, name, filter).reduce((n, p) => n + (p.value as number), 0);
}
