import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { start, getTelemetry } from '../../../src/index';
import { healthRouter } from '../../../src/adapters/express';
import { fastifyHealth } from '../../../src/adapters/fastify';
import { getJson } from '../../helpers/health';

describe('telemetry.health (start() wiring)', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('serves the health endpoints on a standalone port 0 server, exposes its URL and closes it on shutdown', async () => {
    const t = await start({
      service: { name: 'health-wiring', version: '7.0.1' },
      exporters: { prometheus: { enabled: false } },
      logging: { level: 'silent' },
      health: { port: 0, host: '127.0.0.1', cacheTtlMs: 0 },
    });
    assert.match(t.health.url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    t.health.register('db', () => ({ status: 'pass', observedValue: 1, observedUnit: 'ms' }));
    const r = await getJson(`${t.health.url}/health`);
    assert.deepEqual([r.status, r.body.status, r.body.version], [200, 'pass', '7.0.1']);
    assert.equal((await t.health.check()).status, 'healthy');
    const url = t.health.url as string;
    await t.shutdown();
    assert.equal(t.health.shuttingDown, true);
    await assert.rejects(fetch(`${url}/livez`));
  });

  it('starts no server without health.port, while the handler and checks still work', async () => {
    const t = await start({ service: { name: 'health-noport' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    assert.equal(t.health.url, undefined);
    t.health.register('x', () => ({ status: 'fail' }));
    assert.equal((await t.health.check()).status, 'unhealthy');
  });

  it('mounts in express and fastify without a health argument, using the running telemetry', async () => {
    const app = express();
    app.use(healthRouter());
    app.use((_req, res) => {
      res.status(418).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const eurl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fastify = Fastify();
    await fastify.register(fastifyHealth, {});
    const furl = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      assert.equal((await fetch(`${eurl}/livez`)).status, 418, 'express: falls through before start()');
      const notStarted = await getJson(`${furl}/livez`);
      assert.deepEqual([notStarted.status, notStarted.body.errorCode], [503, 'NOT_STARTED']);
      const t = await start({ service: { name: 'mounts' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
      t.health.register('db', () => ({ status: 'fail' }));
      assert.equal((await fetch(`${eurl}/livez`)).status, 200);
      assert.equal((await fetch(`${eurl}/health`)).status, 503);
      assert.equal((await fetch(`${furl}/livez`)).status, 200);
      assert.equal((await fetch(`${furl}/readyz`)).status, 503);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await fastify.close();
    }
  });

  it('loads neither express nor fastify from the main entry; the subpath exports resolve', () => {
    const script = `
      require('pulseguard');
      const loaded = (name) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + name + '/'));
      const before = { express: loaded('express'), fastify: loaded('fastify') };
      const ex = require('pulseguard/express');
      const fa = require('pulseguard/fastify');
      console.log(JSON.stringify({ before, after: { express: loaded('express'), fastify: loaded('fastify') },
        router: typeof ex.healthRouter, plugin: typeof fa.fastifyHealth }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual(out, { before: { express: false, fastify: false }, after: { express: false, fastify: false }, router: 'function', plugin: 'function' });
  });
});
