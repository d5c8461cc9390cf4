import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version';

const ROOT = join(__dirname, '..', '..');

/** Every installed copy of each @opentelemetry package, found by walking node_modules. */
function otelCopies(dir: string, found = new Map<string, Set<string>>(), depth = 0): Map<string, Set<string>> {
  const scope = join(dir, 'node_modules', '@opentelemetry');
  if (existsSync(scope)) {
    for (const name of readdirSync(scope)) {
      const pkgDir = join(scope, name);
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
      const key = `@opentelemetry/${name}`;
      if (!found.has(key)) found.set(key, new Set());
      found.get(key)?.add(pkg.version);
      if (depth < 6) otelCopies(pkgDir, found, depth + 1);
    }
  }
  const nm = join(dir, 'node_modules');
  if (depth < 6 && existsSync(nm)) {
    for (const entry of readdirSync(nm)) {
      if (entry.startsWith('.') || entry === '@opentelemetry') continue;
      const sub = entry.startsWith('@') ? readdirSync(join(nm, entry)).map((e) => join(nm, entry, e)) : [join(nm, entry)];
      for (const s of sub) if (existsSync(join(s, 'node_modules'))) otelCopies(s, found, depth + 1);
    }
  }
  return found;
}

describe('dependency pins', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
    version: string;
  };

  it('pins every @opentelemetry dependency exactly (no ^ or ~)', () => {
    const loose = Object.entries(pkg.dependencies).filter(([n, v]) => n.startsWith('@opentelemetry/') && !/^\d+\.\d+\.\d+$/.test(v));
    assert.deepEqual(loose, []);
  });

  it('installs exactly one copy of each @opentelemetry package', () => {
    const dupes = [...otelCopies(ROOT)].filter(([, versions]) => versions.size > 1).map(([n, v]) => `${n}: ${[...v].join(', ')}`);
    assert.deepEqual(dupes, []);
  });

  it('uses the pinned OpenTelemetry versions that support Node 20', () => {
    assert.equal(pkg.dependencies['@opentelemetry/api'], '1.9.1');
    assert.equal(pkg.dependencies['@opentelemetry/sdk-metrics'], '2.12.0');
    assert.equal(pkg.dependencies['@opentelemetry/instrumentation-pg'], '0.76.0');
  });

  it('does not depend on @opentelemetry/sdk-node, and tests beside it (and auto-instrumentations-node) at pinned versions', () => {
    // sdk-node pulls the gRPC exporters (protobufjs install script): only an app's own SDK in tests.
    assert.equal(pkg.dependencies['@opentelemetry/sdk-node'], undefined);
    assert.equal(pkg.devDependencies['@opentelemetry/sdk-node'], '0.223.0');
    assert.equal(pkg.devDependencies['@opentelemetry/auto-instrumentations-node'], '0.81.2');
  });

  it('declares the instrumented libraries and the feature packages as optional peers, never as dependencies', () => {
    // A regular dependency would install a second copy beside the app's (ws@8.18 under an app's
    // ws@8.18.0), and the instrumentation would patch the copy the app never loads.
    const peers = ['ioredis', 'nodemailer', 'pg', 'telegram', 'ws'];
    assert.deepEqual(Object.keys(pkg.peerDependencies).sort(), peers);
    for (const name of peers) {
      assert.equal(pkg.dependencies[name], undefined, `${name} is a dependency`);
      assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is not an optional peer`);
      assert.ok(pkg.devDependencies[name], `${name} is not a devDependency (the tests need it)`);
    }
  });

  it('pins the TypeScript config loader exactly', () => {
    assert.match(pkg.dependencies.jiti ?? '', /^\d+\.\d+\.\d+$/);
  });

  it('keeps src/version.ts in step with package.json', () => {
    assert.equal(VERSION, pkg.version);
  });
});
