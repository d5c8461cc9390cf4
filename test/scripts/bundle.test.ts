import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv } from '../helpers/child-app';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';

interface PackageJson {
  main: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
}

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The package's entries as an app names them, with the tsc output each one exposes. */
const ENTRIES: Record<string, string> = {
  pulseguard: 'dist/src/index.js',
  'pulseguard/testing': 'dist/src/testing/index.js',
  'pulseguard/express': 'dist/src/adapters/express.js',
  'pulseguard/fastify': 'dist/src/adapters/fastify.js',
};

/** Runs an ES module in a temp app that has pulseguard installed (linked), and returns what it printed. */
async function runEsm(source: string): Promise<string> {
  const dir = new TempDir();
  try {
    dir.linkPackage('pulseguard', REPO_ROOT);
    dir.write('probe.mjs', source);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir.path, 'probe.mjs')], { cwd: dir.path, env: cleanEnv() });
    return stdout;
  } finally {
    dir.cleanup();
  }
}

describe('the package bundle (scripts/bundle.mjs, dist/bundle)', () => {
  it('package.json points every runtime entry and the bin at dist/bundle; the package ships it, the types, and no tsc JavaScript', () => {
    assert.equal(pkg.main, './dist/bundle/index.js');
    const targets = [pkg.main, ...Object.values(pkg.bin), ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : [e.default, e.types]))];
    const packed = new Set((JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
    for (const t of targets) {
      assert.ok(existsSync(join(REPO_ROOT, t)), `${t} exists after the build`);
      assert.ok(packed.has(t.replace(/^\.\//, '')), `${t} is in the package`);
    }
    assert.ok(packed.has('dist/bundle/pulseguard.js') && packed.has('dist/bundle/runtime-1.js') && packed.has('dist/instrumentations/ws/index.d.ts'));
    const tscJs = [...packed].filter((f) => /\.(js|mjs)(\.map)?$/.test(f) && !f.startsWith('dist/bundle/') && f !== 'dist/src/register.mjs');
    assert.deepEqual(tscJs, [], 'the package runs from the bundle alone');
    assert.ok(![...packed].some((f) => f.startsWith('dist/test/') || f.startsWith('dist/bench/')));
    for (const entry of ['.', './testing', './express', './fastify']) {
      const e = pkg.exports[entry];
      assert.ok(typeof e !== 'string' && e.default.startsWith('./dist/bundle/'), `${entry} loads the bundle`);
    }
  });

  it('each entry exposes the names of its tsc module, to require() and to ES modules alike', async () => {
    const expected = Object.fromEntries(Object.entries(ENTRIES).map(([entry, file]) => [
      entry, Object.keys(createRequire(__filename)(join(REPO_ROOT, file)) as object).filter((n) => n !== '__esModule').sort(),
    ]));
    const printed = await runEsm(`
      import { createRequire, SourceMap } from 'node:module';
      const require = createRequire(import.meta.url);
      const out = {};
      for (const entry of ${JSON.stringify(Object.keys(ENTRIES))}) {
        const ns = await import(entry);
        out[entry] = {
          esm: Object.keys(ns).filter((n) => n !== 'default' && n !== '__esModule').sort(),
          cjs: Object.keys(require(entry)).filter((n) => n !== '__esModule').sort(),
        };
      }
      console.log(JSON.stringify(out));`);
    const got = JSON.parse(printed) as Record<string, { esm: string[]; cjs: string[] }>;
    for (const entry of Object.keys(ENTRIES)) {
      assert.ok(expected[entry].length > 0, `${entry} has exports`);
      assert.deepEqual(got[entry].cjs, expected[entry], `${entry} through require()`);
      assert.deepEqual(got[entry].esm, expected[entry], `${entry} through import`);
    }
  });

  it('each module is in one bundle file; the app\'s files hold no tool and stay under 128 KB', () => {
    const dir = join(REPO_ROOT, 'dist', 'bundle');
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const runtime = files.filter((f) => /^runtime-\d+\.js$/.test(f));
    assert.ok(runtime.length >= 2, 'the runtime is cut into files');
    const owner = new Map<string, string>();
    for (const file of files) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/__commonJS\(\{"(dist\/[^"]+)"/g)) {
        assert.equal(owner.get(m[1]), undefined, `${m[1]} is in ${owner.get(m[1])} and ${file}`);
        owner.set(m[1], file);
      }
    }
    assert.ok(runtime.includes(owner.get('dist/src/sdk/start.js') ?? '') && owner.get('dist/src/cli/main.js') === 'tools.js', 'the check sees the files\' modules');
    for (const [mod, file] of owner) {
      if (/^dist\/(src\/cli|src\/testing|examples)\//.test(mod)) assert.equal(file, 'tools.js', `${mod} is a tool`);
    }
    // Node reads a file into one buffer; freeing one of 128 KB or more raises glibc's mmap
    // threshold for the process, and the app's RSS stays ~3 MB higher (docs/performance.md).
    for (const file of [...runtime, 'pulseguard.js']) assert.ok(statSync(join(dir, file)).size < 128 * 1024, `${file} is under 128 KB`);
  });

  it('each module function is compiled with its file; the source maps still point at the TypeScript', () => {
    const dir = join(REPO_ROOT, 'dist', 'bundle');
    const texts = new Map(readdirSync(dir).filter((f) => /^runtime-\d+\.js$/.test(f)).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    for (const [file, text] of texts) {
      const wrappers = text.match(/__commonJS\(\{"[^"]+"/g)?.length ?? 0;
      const eager = text.match(/__commonJS\(\{"[^"]+":\(function\(/g)?.length ?? 0;
      assert.ok(wrappers > 0 && eager === wrappers, `${file}: ${eager} of ${wrappers} module functions in parentheses`);
    }
    // The wrappers' text moved every later column of its line: a function still maps to its own line.
    const functions: Record<string, string> = {
      createWsInstrumentation: 'instrumentations/ws/instrumentation.ts',
      interpret: 'src/config/schema-ir/interpret.ts',
      createLogger: 'src/logging/logger.ts',
      composeAreas: 'src/sdk/compose.ts',
      buildDefaultRules: 'src/rules/default-rules.ts',
    };
    for (const [name, source] of Object.entries(functions)) {
      const file = [...texts.keys()].find((f) => texts.get(f)?.includes(`function ${name}(`));
      assert.ok(file, `function ${name} is in a runtime file`);
      const lines = (texts.get(file) ?? '').split('\n');
      const line = lines.findIndex((l) => l.includes(`function ${name}(`));
      const map = new SourceMap(JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      const entry = map.findEntry(line, lines[line].indexOf(`function ${name}(`) + 'function '.length) as { originalSource?: string; originalLine?: number };
      assert.ok(entry.originalSource?.endsWith(source), `${name} maps to ${entry.originalSource}, not ${source}`);
      const original = readFileSync(join(REPO_ROOT, source), 'utf8').split('\n')[entry.originalLine ?? -1] ?? '';
      assert.match(original, new RegExp(`function ${name}\\(`), `${name} maps to line ${entry.originalLine} of ${source}`);
    }
    // The schema IR is read as JSON, not compiled as an object literal.
    const ir = [...texts.values()].join('').match(/schema-ir\.json":\(function\([^)]*\)\{(?:"use strict";)?module2\.exports=(.{13})/);
    assert.equal(ir?.[1], 'JSON.parse(\'{', 'the schema IR module is JSON.parse of a string');
  });

  it('an app holds one copy: the telemetry started through one entry is the one the others see, and no tsc file loads', async () => {
    const printed = await runEsm(`
      import { createRequire, SourceMap } from 'node:module';
      const require = createRequire(import.meta.url);
      const { start, getTelemetry } = await import('pulseguard');
      const telemetry = await start({ service: { name: 'bundle-probe' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
      const same = require('pulseguard').getTelemetry() === telemetry && getTelemetry() === telemetry;
      // The express adapter finds the limiter of that telemetry: its middleware sets RateLimit headers.
      const { createExpressRateLimit } = require('pulseguard/express');
      const headers = {};
      await new Promise((next) => createExpressRateLimit()({ socket: { remoteAddress: '127.0.0.1' }, headers: {} }, { setHeader: (k, v) => { headers[k] = v; } }, next));
      const limiter = Object.keys(headers).some((k) => /ratelimit/i.test(k));
      const tscFiles = Object.keys(require.cache).filter((k) => k.includes('/dist/src/'));
      const bundleFiles = Object.keys(require.cache).filter((k) => k.includes('/dist/bundle/')).map((k) => k.split(/[\\/]/).pop());
      await telemetry.shutdown();
      console.log(JSON.stringify({ same, limiter, tscFiles, bundleFiles }));`);
    const { bundleFiles, ...rest } = JSON.parse(printed) as { bundleFiles: string[] };
    assert.deepEqual(rest, { same: true, limiter: true, tscFiles: [] });
    // A memory store: the file holding the Redis store is never read.
    const dir = join(REPO_ROOT, 'dist', 'bundle');
    const redisFile = readdirSync(dir).find((f) => /^runtime-\d+\.js$/.test(f) && readFileSync(join(dir, f), 'utf8').includes('__commonJS({"dist/src/limits/stores/redis-store.js"'));
    assert.ok(redisFile !== undefined && bundleFiles.includes('runtime-1.js'), 'the check sees the files');
    assert.ok(!bundleFiles.includes(redisFile), `${redisFile} (the Redis store) is not read with a memory store`);
  });
});
