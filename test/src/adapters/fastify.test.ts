import { strict as assert } from 'node:assert';
import Fastify from 'fastify';
import { fastifyHealth } from '../../../src/adapters/fastify';
import { getJson, makeHealth } from '../../helpers/health';

describe('fastifyHealth (pulseguard/fastify)', () => {
  it('registers every endpoint as fastify routes, honouring the prefix, HEAD included', async () => {
    const { health } = makeHealth({ health: { cacheTtlMs: 0 } });
    let status: 'pass' | 'fail' = 'pass';
    health.register('db', () => ({ status }));
    health.setComponentReport('websocket', () => ({ status: 'healthy', metrics: { connections: 1, messageRate: 0, errorRate: 0, averageLatency: 0 } }));
    const app = Fastify();
    await app.register(fastifyHealth, { prefix: '/ops', health });
    app.get('/hello', async () => ({ hi: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      let r = await getJson(`${url}/ops/health`);
      assert.deepEqual([r.status, r.type, r.body.status, r.body.version], [200, 'application/health+json; charset=utf-8', 'pass', '4.5.6']);
      status = 'fail';
      r = await getJson(`${url}/ops/health`);
      assert.equal(r.status, 503);
      assert.equal((await getJson(`${url}/ops/livez`)).status, 200);
      assert.equal((await getJson(`${url}/ops/readyz`)).status, 503);
      assert.equal((await getJson(`${url}/ops/health/detailed`)).body.errorCode, 'DETAILED_DISABLED');
      const ws = await getJson(`${url}/ops/health/websocket`);
      assert.deepEqual([ws.status, (ws.body.metrics as Record<string, number>).connections], [200, 1]);
      const head = await fetch(`${url}/ops/livez`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.deepEqual((await getJson(`${url}/hello`)).body, { hi: true });
      assert.equal((await fetch(`${url}/health`)).status, 404);
    } finally {
      await app.close();
    }
  });
});
