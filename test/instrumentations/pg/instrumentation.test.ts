import { strict as assert } from 'node:assert';
import { patchPgModule, PulseguardPgInstrumentation } from '../../../instrumentations/pg/instrumentation';
import { internalErrorCount } from '../../../src/internal/internal-errors';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { isWrapped } from '@opentelemetry/instrumentation';
import * as shimmer from '@opentelemetry/instrumentation/build/src/shimmer';

/** A stand-in for pg.Client: enough for the patch (no network). */
function makeClientClass(): new () => { query(...args: unknown[]): unknown; connectionParameters: unknown; database: string } {
  return class FakeClient {
    connectionParameters: unknown = { host: 'fake-host', port: 1, database: 'fakedb' };
    database = 'fakedb';
    query(text: unknown, values?: unknown, cb?: unknown): unknown {
      const callback = typeof values === 'function' ? values : cb;
      const fail = typeof text === 'string' && text.includes('fail');
      if (typeof text === 'string' && text.includes('throw')) throw new TypeError('Client was passed a null or undefined query');
      const err = fail ? Object.assign(new Error('boom'), { code: '22012' }) : null;
      if (typeof callback === 'function') {
        setImmediate(() => (callback as (e: unknown, r: unknown) => void)(err, { rows: [] }));
        return undefined;
      }
      return err ? Promise.reject(err) : Promise.resolve({ rows: [] });
    }
  };
}

function count(filter: Record<string, unknown>): number {
  const m = pulseguardMetrics.collectMetricData().find((d) => d.descriptor.name === 'db.client.operation.duration') as HistogramMetricData | undefined;
  return (m?.dataPoints ?? []).filter((p) => Object.entries(filter).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + p.value.count, 0);
}

describe('PulseguardPgInstrumentation (patch, no database)', () => {
  const Client = makeClientClass();
  patchPgModule({ Client });
  let inst: PulseguardPgInstrumentation;
  before(() => {
    inst = new PulseguardPgInstrumentation({ logSlowQueries: false });
  });
  after(() => inst.disable());

  describe('#query', () => {
    it('measures promise and callback queries and returns pg\'s own promise unchanged', async () => {
      const c = new Client();
      const f = { 'server.address': 'fake-host', 'db.operation.name': 'SELECT' };
      const before = count(f);
      const p = c.query('SELECT 1');
      assert.ok(p instanceof Promise);
      await p;
      await new Promise<void>((resolve) => c.query('SELECT 2', [], () => resolve()));
      await new Promise<void>((resolve) => c.query('SELECT 3', () => resolve()));
      assert.equal(count(f) - before, 3);
    });

    it('records failures with error.type and rethrows synchronous errors untouched', async () => {
      const c = new Client();
      const before = count({ 'server.address': 'fake-host', 'error.type': '22012' });
      await assert.rejects(c.query('SELECT fail') as Promise<unknown>, /boom/);
      await new Promise<void>((resolve) => c.query('SELECT fail', (err: unknown) => { assert.ok(err); resolve(); }));
      assert.throws(() => c.query('throw'), TypeError);
      assert.equal(count({ 'server.address': 'fake-host', 'error.type': '22012' }) - before, 2);
      assert.equal(count({ 'server.address': 'fake-host', 'error.type': '_OTHER', 'db.operation.name': '_OTHER' }) >= 1, true);
    });

    it('contains a fault in its own code: the query still runs and the fault is counted', async () => {
      const c = new Client();
      Object.defineProperty(c, 'connectionParameters', { get() { throw new Error('internal state broke'); } });
      const before = internalErrorCount('instrumentation-pg');
      const res = (await c.query('SELECT 1')) as { rows: unknown[] };
      assert.deepEqual(res.rows, []);
      assert.equal(internalErrorCount('instrumentation-pg') - before, 1);
    });

    it('is a pass-through while disabled and measures again when re-enabled', async () => {
      const c = new Client();
      const f = { 'server.address': 'fake-host', 'db.operation.name': 'DELETE' };
      inst.disable();
      const before = count(f);
      await c.query('DELETE FROM t');
      assert.equal(count(f), before);
      inst.enable();
      await c.query('DELETE FROM t');
      assert.equal(count(f) - before, 1);
    });

    it('patches a prototype only once', () => {
      const q = Client.prototype.query;
      patchPgModule({ Client });
      patchPgModule({ default: { Client }, [Symbol.toStringTag]: 'Module' });
      assert.equal(Client.prototype.query, q);
    });
  });
});

describe('pulseguard\'s pg patch beside shimmer wrappers (instrumentation-pg)', () => {
  // instrumentation-pg patches Client.prototype.query in its 'pg/lib/client.js' hook, then again
  // in its 'pg' hook after unwrapping what shimmer's isWrapped finds on top.
  const patchLikeInstrumentationPg = (proto: Record<string, unknown>, calls: string[]): void => {
    if (isWrapped(proto.query)) shimmer.unwrap(proto, 'query');
    shimmer.wrap(proto, 'query', (original) => function (this: unknown, ...a: unknown[]) {
      calls.push('app');
      return (original as (...args: unknown[]) => unknown).apply(this, a);
    });
  };

  it('keeps one instrumentation-pg wrapper when pulseguard patches between its two hooks', async () => {
    const Client = makeClientClass();
    const calls: string[] = [];
    const proto = Client.prototype as unknown as Record<string, unknown>;
    patchLikeInstrumentationPg(proto, calls);
    patchPgModule({ Client });
    patchLikeInstrumentationPg(proto, calls);
    await new Client().query('SELECT 1');
    assert.deepEqual(calls, ['app'], 'the app\'s wrapper runs once per query');
  });

  it('stays in place when the app\'s wrapper on top is unwrapped, and looks unwrapped with nothing beneath', () => {
    const Client = makeClientClass();
    const proto = Client.prototype as unknown as Record<string, unknown>;
    patchPgModule({ Client });
    const ours = proto.query;
    assert.equal(isWrapped(ours), false);
    patchLikeInstrumentationPg(proto, []);
    shimmer.unwrap(proto, 'query');
    assert.equal(proto.query, ours);
  });
});
