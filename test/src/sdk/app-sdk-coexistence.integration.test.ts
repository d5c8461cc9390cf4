import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { requirePostgres } from '../../instrumentations/pg/pg-test-helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
const REQUESTS = 5;
const QUERIES = 4;

/** Counts per instrumentation scope, as the fixture prints them. */
type PerScope = Record<string, number>;
interface Seen {
  app: { http: PerScope; db: PerScope };
  pulseguard: { http: PerScope; db: PerScope };
  duplicates: number;
}

function runFixture(args: string[]): Promise<Seen> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(FIXTURES, 'app-sdk-coexistence.cjs'), ...args], { timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`app-sdk-coexistence.cjs ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Seen);
    });
  });
}


describe('start() beside an app\'s own NodeSDK (out of process)', () => {
  // Each combination is a fresh Node process: which SDK registers first is process state.
  const runs = new Map<string, Promise<Seen>>();
  const orders = ['app-first', 'pulseguard-first'] as const;
  const apps = ['plain', 'auto'] as const;
  const combos = orders.flatMap((order) => apps.flatMap((app) => (['off', 'on'] as const).map((pg) => [order, app, pg] as const)));
  before(async function () {
    this.timeout(360_000);
    await requirePostgres();
    // Two at a time: more only contend for the same two cores.
    const pending = [...combos];
    const worker = async (): Promise<void> => {
      for (let c = pending.shift(); c; c = pending.shift()) {
        const run = runFixture([c[0], c[1], String(REQUESTS), String(QUERIES), c[2]]);
        run.catch(() => {});
        runs.set(c.join(' '), run);
        await run.catch(() => {});
      }
    };
    await Promise.all([worker(), worker()]);
  });

  for (const [order, app, pg] of combos) {
    const label = app === 'auto' ? 'NodeSDK with auto-instrumentations-node' : 'NodeSDK with http and pg instrumentations';
    const ours = pg === 'on' ? 'pulseguard\'s pg instrumentation on too' : 'pulseguard\'s pg instrumentation off';
    it(`counts each request and query exactly once on /metrics and on the app's exporter (${order}, ${label}, ${ours})`, async () => {
      const seen = await runs.get(`${order} ${app} ${pg}`)!;
      assert.deepEqual(seen.app.http, { '@opentelemetry/instrumentation-http': REQUESTS }, 'app exporter: http.server.request.duration');
      assert.deepEqual(seen.pulseguard.http, { '@opentelemetry/instrumentation-http': REQUESTS }, '/metrics: http_server_request_duration');
      assert.deepEqual(seen.app.db, { '@opentelemetry/instrumentation-pg': QUERIES }, 'app exporter: db.client.operation.duration');
      assert.deepEqual(seen.pulseguard.db, { '@opentelemetry/instrumentation-pg': QUERIES }, '/metrics: db_client_operation_duration');
      assert.equal(seen.duplicates, 0, 'no "duplicate registration" from the API');
    });
  }
});
