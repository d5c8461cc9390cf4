import { createServer } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { findFreePort } from '../../../src/sdk/free-port';
import { strict as assert } from 'node:assert';
import { metrics } from '@opentelemetry/api';
import { start, getTelemetry, ConfigError } from '../../../src/index';
import { promtoolCheckMetrics } from '../../helpers/promtool';

describe('start()', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('rejects an invalid configuration before starting anything', async () => {
    await assert.rejects(start({ service: { name: '' }, exporters: { prometheus: { port: -1 } } }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 2);
      return true;
    });
    assert.equal(getTelemetry(), undefined);
  });

  it('serves /metrics on a free port that promtool accepts, with the service resource', async () => {
    const t = await start({ service: { name: 'start-test', version: '1.2.3', instanceId: 'i-1' }, exporters: { prometheus: { port: 0, host: '127.0.0.1' } }, logging: { level: 'silent' } });
    assert.ok(t.metricsUrl);
    metrics.getMeter('app').createCounter('app.jobs', { description: 'jobs' }).add(3, { kind: 'x' });
    const res = await fetch(t.metricsUrl);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /target_info\{service_name="start-test",service_version="1\.2\.3",service_instance_id="i-1"\} 1/);
    assert.match(body, /app_jobs_total\{[^}]*kind="x"[^}]*\} 3/);
    assert.match(body, /nodejs_eventloop_time_seconds_total|nodejs_eventloop_time_total/);
    const check = promtoolCheckMetrics(body);
    assert.ok(check.ok, check.output);
  });

  it('returns the running instance when called twice, and shutdown() is safe to call twice', async () => {
    const t1 = await start({ service: { name: 'twice' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    const t2 = await start({ service: { name: 'other' }, logging: { level: 'silent' } });
    assert.equal(t1, t2);
    await t1.shutdown();
    await t1.shutdown();
    assert.equal(getTelemetry(), undefined);
  });

  it('closes the metrics port on shutdown', async () => {
    const t = await start({ service: { name: 'close' }, exporters: { prometheus: { port: 0, host: '127.0.0.1' } }, logging: { level: 'silent' } });
    const url = t.metricsUrl as string;
    await t.shutdown();
    await assert.rejects(fetch(url));
  });

  it('collects without Prometheus through an inspection reader', async () => {
    const t = await start({ service: { name: 'inspect' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    metrics.getMeter('app').createCounter('app.inspected').add(1);
    const rm = await t.collect();
    const names = rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    assert.ok(names.includes('app.inspected'), names.join(','));
  });

  it('undoes what it started when a later step fails (health port in use), so a retry works', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const busy = (blocker.address() as AddressInfo).port;
    const metricsPort = await findFreePort();
    await assert.rejects(start({ service: { name: 'abort' }, logging: { level: 'silent' },
      exporters: { prometheus: { port: metricsPort, host: '127.0.0.1' } }, health: { port: busy, host: '127.0.0.1' } }), /EADDRINUSE/);
    assert.equal(getTelemetry(), undefined);
    await new Promise((r) => blocker.close(r));
    const t = await start({ service: { name: 'abort-retry' }, logging: { level: 'silent' }, exporters: { prometheus: { port: metricsPort, host: '127.0.0.1' } } });
    assert.equal(t.metricsUrl, `http://127.0.0.1:${metricsPort}/metrics`, 'the metrics port of the failed start was released');
  });
});
