import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Modules of the OpenTelemetry SDK that a fresh process loaded after `require(entry)`, and any
 * file of the tsc tree (dist/src): the package's entries load only the bundle (dist/bundle), whose
 * composition root, once it runs, loads the SDK.
 */
async function heavyModulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    require(${JSON.stringify(entry)});
    const heavy = /node_modules\\/@opentelemetry\\/sdk-|\\/dist\\/src\\//;
    console.log(JSON.stringify(Object.keys(require.cache).filter((k) => heavy.test(k.split('\\\\').join('/')))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: process.cwd() });
  return JSON.parse(stdout) as string[];
}

describe('framework adapter entry points', () => {
  for (const entry of ['pulseguard/express', 'pulseguard/fastify']) {
    it(`${entry} loads no @opentelemetry/sdk-* module and no file of the tsc tree`, async () => {
      assert.deepEqual(await heavyModulesLoadedBy(entry), []);
    });
  }

  it('the main entry does load them (the check above can see them)', async () => {
    const loaded = await heavyModulesLoadedBy('pulseguard');
    assert.ok(loaded.some((k) => k.includes('@opentelemetry/sdk-metrics')), 'sdk-metrics is loaded by the main entry');
    assert.deepEqual(loaded.filter((k) => k.includes('/dist/src/')), [], 'the main entry runs from the bundle alone');
  });
});
