import { strict as assert } from 'node:assert';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { ChildApp, cleanEnv } from '../helpers/child-app';

const DIST = join(__dirname, '..', '..');
const FIXTURE = join(DIST, '..', 'test', 'fixtures', 'servers-exit.cjs');

/** GET with a keep-alive agent; the socket stays open after the response. */
function getKeepAlive(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('regression: keep-alive connections to pulseguard servers', () => {
  it('do not keep the process alive once the app has nothing left to do', async function () {
    this.timeout(30_000);
    const app = new ChildApp([FIXTURE], { cwd: DIST, env: cleanEnv({ PULSEGUARD_DIST: DIST }) });
    const agent = new Agent({ keepAlive: true });
    try {
      const { metricsUrl, healthUrl } = (await app.waitForLine('ready')) as { metricsUrl: string; healthUrl: string };
      assert.equal(await getKeepAlive(metricsUrl, agent), 200);
      assert.equal(await getKeepAlive(`${healthUrl}/health`, agent), 200);
      const sockets = Object.values(agent.freeSockets).flat().length;
      assert.equal(sockets, 2, 'the scraper holds two idle keep-alive connections');
      const closedAt = Date.now();
      app.child.stdin.end();
      // Node's server keepAliveTimeout (5 s) would end the idle sockets eventually: the app must
      // exit well before, while the scraper still holds them.
      const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('still running'), 3000))]);
      assert.equal(code, 0, `the app exits on its own (stderr: ${app.stderr})`);
      assert.ok(Date.now() - closedAt < 3000);
    } finally {
      agent.destroy();
      app.child.kill('SIGKILL');
    }
  });
});
