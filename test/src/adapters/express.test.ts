import { strict as assert } from 'node:assert';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { healthRouter } from '../../../src/adapters/express';
import { getJson, makeHealth, TEST_TOKEN } from '../../helpers/health';

describe('healthRouter (pulseguard/express)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(app: express.Express): Promise<string> {
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves every endpoint under the mount path and passes other paths to the next handler', async () => {
    const { health } = makeHealth({ health: { cacheTtlMs: 0, detailed: { enabled: true, token: TEST_TOKEN } } });
    health.register('db', () => ({ status: 'fail' }));
    const app = express();
    app.use('/ops', healthRouter(health));
    app.get('/ops/version', (_req, res) => {
      res.json({ app: 'mine' });
    });
    const url = await listen(app);
    const h = await getJson(`${url}/ops/health`);
    assert.deepEqual([h.status, h.type, h.body.status], [503, 'application/health+json; charset=utf-8', 'fail']);
    assert.equal((await getJson(`${url}/ops/livez`)).status, 200);
    assert.equal((await getJson(`${url}/ops/readyz`)).status, 503);
    assert.equal((await getJson(`${url}/ops/health/detailed`)).status, 401);
    assert.equal((await getJson(`${url}/ops/health/detailed`, { authorization: `Bearer ${TEST_TOKEN}` })).status, 503);
    assert.equal((await getJson(`${url}/ops/health/telegram`)).status, 404);
    assert.deepEqual((await getJson(`${url}/ops/version`)).body, { app: 'mine' });
    assert.equal((await fetch(`${url}/health`)).status, 404, 'nothing is served outside the mount path');
  });
});
