import { strict as assert } from 'node:assert';
import { getJson, makeHealth, serveHandler, TEST_TOKEN } from '../helpers/health';

// Issue 18 item 7: /health/detailed ran the component providers one after another, so three hung
// providers took three check timeouts.
describe('/health/detailed (regression: component providers run one after another)', () => {
  it('answers within about one check timeout when three providers hang', async () => {
    const { health } = makeHealth({ health: { cacheTtlMs: 0, checkTimeoutMs: 1000, detailed: { enabled: true, token: TEST_TOKEN } } });
    const hang = () => new Promise<never>(() => undefined);
    health.setComponentReport('websocket', hang);
    health.setComponentReport('telegram', hang);
    health.setComponentReport('rate-limits', hang);
    const s = await serveHandler(health.handler);
    try {
      const t0 = performance.now();
      const r = await getJson(`${s.url}/health/detailed`, { authorization: `Bearer ${TEST_TOKEN}` });
      const took = performance.now() - t0;
      const components = r.body.components as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(components).sort(), ['rate-limits', 'telegram', 'websocket']);
      for (const c of Object.values(components)) assert.equal(c.errorCode, 'CHECK_TIMEOUT');
      assert.ok(took < 2500, `took ${Math.round(took)} ms for three providers with a 1000 ms timeout`);
    } finally {
      await s.close();
    }
  });
});
