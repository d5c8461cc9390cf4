import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadConfig, loadConfigInput, findConfigFile, ConfigLoadError, ConfigError } from '../../../src/config/index';
import { TempDir, REPO_ROOT } from '../../helpers/temp-dir';

const ENV = {}; // never the test process's own environment

describe('loadConfig', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(() => dir.cleanup());

  describe('discovery', () => {
    it('loads pulseguard.config.json', async () => {
      dir.write('pulseguard.config.json', JSON.stringify({ service: { name: 'from-json' }, exporters: { prometheus: { port: 9999 } } }));
      const loaded = await loadConfig({ cwd: dir.path, env: ENV });
      assert.deepEqual(loaded.source, { kind: 'file', file: join(dir.path, 'pulseguard.config.json') });
      assert.equal(loaded.config.service.name, 'from-json');
      assert.equal(loaded.config.exporters.prometheus.port, 9999);
      assert.equal(loaded.config.thresholds.websocket.messageLatency.critical, 500, 'defaults are filled in');
    });

    it('loads pulseguard.config.mjs (ESM default export)', async () => {
      dir.write('pulseguard.config.mjs', 'export default { service: { name: "from-mjs" }, logging: { level: "warn" } };\n');
      const loaded = await loadConfig({ cwd: dir.path, env: ENV });
      assert.equal(loaded.config.service.name, 'from-mjs');
      assert.equal(loaded.config.logging.level, 'warn');
    });

    it('loads a CommonJS pulseguard.config.js', async () => {
      dir.write('pulseguard.config.js', 'module.exports = { service: { name: "from-cjs-js" } };\n');
      assert.equal((await loadConfig({ cwd: dir.path, env: ENV })).config.service.name, 'from-cjs-js');
    });

    it('loads an ESM pulseguard.config.js in a "type": "module" package, calling an exported async function', async () => {
      dir.write('package.json', JSON.stringify({ name: 'esm-app', type: 'module' }));
      dir.write('pulseguard.config.js', 'export default async () => ({ service: { name: "from-esm-js-fn" } });\n');
      assert.equal((await loadConfig({ cwd: dir.path, env: ENV })).config.service.name, 'from-esm-js-fn');
    });

    const TS_CONFIG = [
      "import { defineConfig } from 'pulseguard';",
      "const level: 'debug' = 'debug';",
      'interface Extra { note?: string }',
      "const extra: Extra = {};",
      "export default defineConfig({ service: { name: 'from-ts' }, logging: { level }, rules: { custom: [{ name: 'slow_api', metric: 'http.server.request.duration', statistic: 'p95', critical: 0.5, for: '5m' }] } });",
      'void extra;',
    ].join('\n');

    it('loads pulseguard.config.ts with no typescript package in the app, resolving pulseguard from the app', async () => {
      dir.linkPackage('pulseguard', REPO_ROOT);
      dir.write('pulseguard.config.ts', TS_CONFIG);
      const loaded = await loadConfig({ cwd: dir.path, env: ENV });
      assert.equal(loaded.config.service.name, 'from-ts');
      assert.equal(loaded.config.logging.level, 'debug');
      assert.equal(loaded.config.rules.custom[0].for, 300_000);
    });

    it('loads pulseguard.config.ts when the app\'s typescript has no JS API (TypeScript 7)', async () => {
      // TypeScript 7 (the Go port) ships no transpileModule/ModuleKind: a loader that borrowed the
      // app's typescript failed with "Cannot read properties of undefined (reading 'CommonJS')".
      dir.write('node_modules/typescript/package.json', JSON.stringify({ name: 'typescript', version: '7.0.0', main: 'index.js' }));
      dir.write('node_modules/typescript/index.js', 'module.exports = { version: "7.0.0" };\n');
      dir.linkPackage('pulseguard', REPO_ROOT);
      dir.write('pulseguard.config.ts', TS_CONFIG);
      assert.equal((await loadConfig({ cwd: dir.path, env: ENV })).config.service.name, 'from-ts');
    });

    it('loads a .cts config that assigns module.exports and an .mts one with an async default', async () => {
      dir.write('a/pulseguard.config.cts', "const config: { service: { name: string } } = { service: { name: 'from-cts' } };\nmodule.exports = config;\n");
      dir.write('b/pulseguard.config.mts', "export default async (): Promise<object> => ({ service: { name: 'from-mts' } });\n");
      assert.equal((await loadConfig({ cwd: dir.path, env: ENV, file: 'a/pulseguard.config.cts' })).config.service.name, 'from-cts');
      assert.equal((await loadConfig({ cwd: dir.path, env: ENV, file: 'b/pulseguard.config.mts' })).config.service.name, 'from-mts');
    });

    it('fails a .ts config that does not parse with a ConfigLoadError naming the file', async () => {
      const file = dir.write('pulseguard.config.ts', "export default { service: { name: 'x' } ;\n");
      await assert.rejects(loadConfig({ cwd: dir.path, env: ENV }), (err: unknown) => {
        assert.ok(err instanceof ConfigLoadError);
        assert.equal(err.file, file);
        assert.ok(err.message.startsWith(`${file} failed to load: `), err.message);
        return true;
      });
    });

    it('uses the file named by PULSEGUARD_CONFIG, relative to cwd', async () => {
      dir.write('conf/custom.json', JSON.stringify({ service: { name: 'from-env-path' } }));
      dir.write('pulseguard.config.json', JSON.stringify({ service: { name: 'ignored' } }));
      const loaded = await loadConfig({ cwd: dir.path, env: { PULSEGUARD_CONFIG: 'conf/custom.json' } });
      assert.equal(loaded.config.service.name, 'from-env-path');
    });

    it('rejects a PULSEGUARD_CONFIG that does not exist', () => {
      assert.throws(() => findConfigFile({ cwd: dir.path, env: { PULSEGUARD_CONFIG: 'nope.json' } }), /named by PULSEGUARD_CONFIG does not exist: .*nope\.json/);
    });

    it('rejects two configuration files in one directory instead of picking one silently', () => {
      dir.write('pulseguard.config.json', '{}');
      dir.write('pulseguard.config.mjs', 'export default {};');
      assert.throws(() => findConfigFile({ cwd: dir.path, env: ENV }), /found pulseguard\.config\.mjs and pulseguard\.config\.json .*keep one/);
    });

    it('reports a JSON syntax error with the file name', async () => {
      dir.write('pulseguard.config.json', '{ "service": ');
      await assert.rejects(loadConfigInput({ cwd: dir.path, env: ENV }), /pulseguard\.config\.json is not valid JSON/);
    });

    it('reports a module without a default export', async () => {
      dir.write('pulseguard.config.mjs', 'export const service = { name: "x" };');
      await assert.rejects(loadConfigInput({ cwd: dir.path, env: ENV }), /must export the configuration object as its default export/);
    });

    it('throws a ConfigError listing every problem of an invalid file', async () => {
      dir.write('pulseguard.config.json', JSON.stringify({ service: { name: '' }, logging: { level: 'loud' }, exporters: { prometheus: { prot: 1 } } }));
      await assert.rejects(loadConfig({ cwd: dir.path, env: ENV }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems.map((p) => p.path).sort(), ['exporters.prometheus.prot', 'logging.level', 'service.name']);
        return true;
      });
    });
  });

  describe('environment variables (no file)', () => {
    it('builds the configuration from PULSEGUARD_* and OTEL_* variables', async () => {
      const loaded = await loadConfig({
        cwd: dir.path,
        env: {
          PULSEGUARD_SERVICE_NAME: 'env-svc', OTEL_SERVICE_NAME: 'otel-svc', PULSEGUARD_SERVICE_VERSION: '2.0.0', PULSEGUARD_ENVIRONMENT: 'staging',
          PULSEGUARD_PROMETHEUS_PORT: '9555', PULSEGUARD_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318', PULSEGUARD_LOG_LEVEL: 'WARN',
        },
      });
      assert.equal(loaded.source.kind, 'env');
      const c = loaded.config;
      assert.equal(c.service.name, 'env-svc');
      assert.equal(c.service.version, '2.0.0');
      assert.equal(c.service.environment, 'staging');
      assert.equal(c.exporters.prometheus.port, 9555);
      assert.equal(c.exporters.prometheus.host, '127.0.0.1');
      assert.equal(c.exporters.otlp.enabled, true);
      assert.equal(c.exporters.otlp.endpoint, 'http://tempo:4318');
      assert.equal(c.logging.level, 'warn');
    });

    it('falls back to OTEL_SERVICE_NAME, then to the package.json name', async () => {
      assert.equal((await loadConfig({ cwd: dir.path, env: { OTEL_SERVICE_NAME: 'otel-svc' } })).config.service.name, 'otel-svc');
      dir.write('package.json', JSON.stringify({ name: '@acme/chat-gateway' }));
      const c = (await loadConfig({ cwd: dir.path, env: {} })).config;
      assert.equal(c.service.name, '@acme/chat-gateway');
      assert.equal(c.exporters.otlp.enabled, false, 'OTLP stays off without OTEL_EXPORTER_OTLP_ENDPOINT');
    });

    it('disables Prometheus with PULSEGUARD_PROMETHEUS_ENABLED=false', async () => {
      const c = (await loadConfig({ cwd: dir.path, env: { PULSEGUARD_SERVICE_NAME: 's', PULSEGUARD_PROMETHEUS_ENABLED: 'false' } })).config;
      assert.equal(c.exporters.prometheus.enabled, false);
    });

    it('names the variable behind an invalid value', async () => {
      await assert.rejects(loadConfig({ cwd: dir.path, env: { PULSEGUARD_SERVICE_NAME: 's', PULSEGUARD_PROMETHEUS_PORT: 'abc', PULSEGUARD_LOG_LEVEL: 'loud' } }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /exporters\.prometheus\.port: expected number, got "abc" \(from PULSEGUARD_PROMETHEUS_PORT\)/);
        assert.match(err.message, /logging\.level: expected one of .* \(from PULSEGUARD_LOG_LEVEL\)/);
        return true;
      });
    });

    it('explains what to set when nothing names the service', async () => {
      await assert.rejects(loadConfig({ cwd: dir.path, env: {} }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 1);
        assert.equal(err.problems[0].path, 'service.name');
        assert.match(err.problems[0].message, /no pulseguard\.config\.ts, .*PULSEGUARD_SERVICE_NAME, OTEL_SERVICE_NAME or a package\.json "name"/);
        return true;
      });
    });

    it('ignores the environment when a file exists', async () => {
      dir.write('pulseguard.config.json', JSON.stringify({ service: { name: 'file-svc' } }));
      const c = (await loadConfig({ cwd: dir.path, env: { PULSEGUARD_SERVICE_NAME: 'env-svc', PULSEGUARD_PROMETHEUS_PORT: '1234' } })).config;
      assert.equal(c.service.name, 'file-svc');
      assert.equal(c.exporters.prometheus.port, 9464);
    });
  });
});
