import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ChildApp, cleanEnv } from '../../helpers/child-app';

const DIST = join(__dirname, '..', '..', '..');
const FIXTURE = join(DIST, '..', 'test', 'fixtures', 'http-routes-app.cjs');

interface Result {
  appStatuses: number[];
  points: Array<{ attributes: Record<string, unknown>; count: number }>;
}

// A child process: express must be loaded after start() (as in an app), and this test process
// loaded express long before (other spec files import it).
describe('http.server.request.duration in express and fastify apps (real servers)', () => {
  let result: Result;
  before(async function () {
    this.timeout(60_000);
    const app = new ChildApp([FIXTURE], { cwd: DIST, env: cleanEnv({ PULSEGUARD_DIST: DIST }) });
    result = (await app.waitForLine('result', 50_000)) as Result;
    assert.equal(await app.exited, 0, app.stderr);
  });

  const total = (points: Result['points']) => points.reduce((n, p) => n + p.count, 0);

  it('records the route template as http.route, never the raw path', () => {
    assert.deepEqual(result.appStatuses, [200, 200, 200, 200, 200, 200]);
    const byRoute = new Map<string, number>();
    for (const p of result.points) {
      const route = String(p.attributes['http.route']);
      byRoute.set(route, (byRoute.get(route) ?? 0) + p.count);
    }
    assert.deepEqual(Object.fromEntries(byRoute), { '/users/:id': 4, '/api/items/:itemId': 1, '/v1/orders/:orderId': 1 });
    for (const p of result.points) assert.doesNotMatch(JSON.stringify(p.attributes), /\/(users|items|orders)\/\d/);
  });

  it('leaves pulseguard\'s own /metrics and health requests out (standalone and mounted), counting only the app\'s', () => {
    // 10 scrapes and 10 probes of each kind were made; only the 6 app requests are counted.
    assert.equal(total(result.points), 6, JSON.stringify(result.points));
  });
});
