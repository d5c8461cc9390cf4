import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { requireSharedRedis, uniquePrefix } from '../helpers/redis';
import { REPO_ROOT } from '../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

const DIST = join(REPO_ROOT, 'dist') + '/';

/**
 * Starts pulseguard in a fresh process with `config` and returns the files loaded once start()
 * resolved: packages relative to node_modules (e.g. "ioredis/built/index.js"), pulseguard's own
 * relative to dist (e.g. "dist/instrumentations/telegram/instrumentation.js"), and Node's public
 * built-in modules loaded so far (e.g. "node:fs/promises").
 */
async function modulesAfterStart(config: object): Promise<string[]> {
  const script = `
    const { start } = require(${JSON.stringify(INDEX)});
    start(${JSON.stringify(config)}).then(async (t) => {
      const files = Object.keys(require.cache).map((k) => k.includes('/node_modules/') ? k.slice(k.lastIndexOf('/node_modules/') + 14) : k.startsWith(${JSON.stringify(DIST)}) ? 'dist/' + k.slice(${JSON.stringify(DIST)}.length) : k);
      const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => 'node:' + m.slice(13));
      console.log('MODULES ' + JSON.stringify([...files, ...builtins]));
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
    // yaml only for the CLI or a .yaml file; GramJS only when the app loads it; the OTLP exporters
    // only when exporters.otlp is on; instrumentation-pg only for pg spans (off by default).
    for (const name of ['ioredis', 'nodemailer', 'jiti', 'typescript', 'yaml', 'telegram', '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/exporter-metrics-otlp-http', '@opentelemetry/otlp-exporter-base', '@opentelemetry/otlp-transformer',
      '@opentelemetry/instrumentation-pg']) {
      assert.ok(!packages.has(name), `${name} was loaded`);
    }
    // Notifiers of channels not configured (only the log channel is on by default), the CLI and
    // the report renderer, the config file loaders and the HTTP middleware (an app passing its
    // config to start() uses neither), the Telegram parts an app asks for explicitly, and the
    // GramJS patches and call tracker (GramJS is not loaded here).
    const unused = new RegExp([
      '^dist/src/(alerting/notifiers/(slack|email|webhook|alertmanager|http-post)|cli/|report/format-report)',
      '^dist/src/(config/(load-config|env-config|typescript-loader|config-load-error)|adapters/)',
      // Fleet de-duplication, the Redis journal, the Redis limiter store and its guards: only with the Redis store.
      '^dist/src/(alerting/fleet/|sdk/fleet-gate-setup|alerting/journal/redis-journal-store)',
      '^dist/src/limits/stores/(redis-store|guarded-redis-limiter|circuit-breaker|insured-store|last-known-counts)',
      // The Telegram metric collectors load with GramJS (or a report): without it they would record nothing.
      '^dist/instrumentations/telegram/(session-monitor|send-guard|dc-probe|guard-client|call-tracker|client-control|update-handlers|patches/|collectors|metrics/)',
    ].join('|'));
    assert.deepEqual(files.filter((f) => unused.test(f)), []);
    // Loading node:fs/promises costs ~17 M instructions and nothing else at start needs it (the
    // journal writes through the callback API); node:timers/promises likewise.
    assert.ok(files.includes('node:fs'), 'built-in modules are listed');
    assert.deepEqual(files.filter((f) => f === 'node:fs/promises' || f === 'node:timers/promises'), []);
    // A valid configuration is checked by the compiled schema (src/config/schema-ir): zod and the
    // zod schema load only to word the problems of an invalid one.
    assert.deepEqual(files.filter((f) => packageOf(f) === 'zod' || /^dist\/src\/config\/(schema\.js|schema\/(?!checks|default-policies)|schema-at|config-problems)/.test(f)), []);
    // rate-limiter-flexible's index requires every store it supports (36 modules); the memory path needs its own files.
    assert.ok(packages.has('rate-limiter-flexible'), 'the memory limiter is in use');
    assert.deepEqual(files.filter((f) => f === 'rate-limiter-flexible/index.js' || /RateLimiter(Mongo|MySQL|Postgres|Prisma|Redis)\.js$/.test(f)), []);
  });

  it('loads none of the Telegram instrumentation when instrumentations.telegram is off', async () => {
    const files = await modulesAfterStart({ ...base, instrumentations: { telegram: { enabled: false } } });
    // semconv (the metric catalogue's names) and the session pool and lease stores the package root exports stay.
    const allowed = new Set(['semconv.js', 'session-pool.js', 'session-lease.js']);
    const telegram = files.filter((f) => f.startsWith('dist/instrumentations/telegram/')).map((f) => f.slice('dist/instrumentations/telegram/'.length));
    assert.deepEqual(telegram.filter((f) => !allowed.has(f)), []);
    assert.ok(!files.some((f) => packageOf(f) === 'telegram'), 'GramJS was loaded');
  });

  it('loads the OTLP exporters and the pg span delegate when the config turns them on', async () => {
    const files = await modulesAfterStart({ ...base, exporters: { ...base.exporters, otlp: { enabled: true, metrics: true } }, instrumentations: { pg: { spans: true } } });
    const packages = new Set(files.map(packageOf));
    for (const name of ['@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-metrics-otlp-http', '@opentelemetry/instrumentation-pg']) {
      assert.ok(packages.has(name), `${name} was not loaded`);
    }
  });

  it('loads ioredis when the Redis store is configured', async () => {
    const redis = await requireSharedRedis();
    redis.disconnect();
    const files = await modulesAfterStart({ ...base, rateLimits: { store: 'redis', keyPrefix: uniquePrefix('startup-modules') } });
    assert.ok(files.some((f) => packageOf(f) === 'ioredis'), 'ioredis was not loaded');
  });
});
