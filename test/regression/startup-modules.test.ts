import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { requireSharedRedis, uniquePrefix } from '../helpers/redis';
import { REPO_ROOT } from '../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

/**
 * Starts pulseguard in a fresh process with `config` and returns the node_modules files loaded
 * once start() resolved (relative to node_modules, e.g. "ioredis/built/index.js").
 */
async function modulesAfterStart(config: object): Promise<string[]> {
  const script = `
    const { start } = require(${JSON.stringify(INDEX)});
    start(${JSON.stringify(config)}).then(async (t) => {
      const files = Object.keys(require.cache).filter((k) => k.includes('/node_modules/')).map((k) => k.slice(k.lastIndexOf('/node_modules/') + 14));
      console.log('MODULES ' + JSON.stringify(files));
      await t.shutdown();
      process.exit(0);
    }, (err) => { console.error(err); process.exit(1); });`;
  const child = new ChildApp(['-e', script], { cwd: REPO_ROOT, env: cleanEnv() });
  return (await child.waitForLine('MODULES')) as string[];
}

const packageOf = (file: string): string => file.split('/').slice(0, file.startsWith('@') ? 2 : 1).join('/');

describe('regression: start() loads only what the configuration uses', () => {
  const base = { service: { name: 'startup-modules' }, exporters: { prometheus: { port: 0 } }, logging: { level: 'warn' } };

  it('loads no optional peer, config loader or unused rate-limit store with the default configuration', async () => {
    const files = await modulesAfterStart(base);
    const packages = new Set(files.map(packageOf));
    // ioredis (~60 modules) only for the Redis store; nodemailer only for the e-mail channel; jiti
    // and typescript only for a .ts configuration file.
    for (const name of ['ioredis', 'nodemailer', 'jiti', 'typescript']) assert.ok(!packages.has(name), `${name} was loaded`);
    // rate-limiter-flexible's index requires every store it supports (36 modules); the memory path needs its own files.
    assert.ok(packages.has('rate-limiter-flexible'), 'the memory limiter is in use');
    assert.deepEqual(files.filter((f) => f === 'rate-limiter-flexible/index.js' || /RateLimiter(Mongo|MySQL|Postgres|Prisma|Redis)\.js$/.test(f)), []);
  });

  it('loads ioredis when the Redis store is configured', async () => {
    const redis = await requireSharedRedis();
    redis.disconnect();
    const files = await modulesAfterStart({ ...base, rateLimits: { store: 'redis', keyPrefix: uniquePrefix('startup-modules') } });
    assert.ok(files.some((f) => packageOf(f) === 'ioredis'), 'ioredis was not loaded');
  });
});
