// Bundles what tsc emitted for the package's entry points into two files, and writes the small
// entry files package.json points at (dist/bundle/index.js, express.js, fastify.js, testing.js,
// cli.js). Runs after tsc in `npm run build`.
//
// Why: loading a CommonJS file costs Node about 0.34 M instructions whatever it holds (resolve,
// stat, read, wrap, compile). start() loaded some 200 of pulseguard's own files; one file instead
// saves ~70 M instructions, about 8% of what pulseguard adds to an app's startup
// (docs/performance.md). Every module stays lazy: esbuild wraps each one in a function that runs
// at its first require(), as Node would, and packages stay external.
//
// - dist/bundle/pulseguard.js: what an app runs (main, express, fastify, the config loader that
//   pulseguard/register uses). V8 scans a file whole when it loads it, so it holds nothing else.
// - dist/bundle/tools.js: the CLI (with the demo) and pulseguard/testing. It takes every module
//   the runtime bundle has from the runtime bundle, so a process that uses both (an app's tests
//   with pulseguard/testing) holds one copy of each module: one limiter, one running telemetry.
//
// The tsc tree stays as it is: the tests, the types and pulseguard/register (ESM) use it.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Entry name -> the tsc output it exposes, per bundle file. */
export const RUNTIME_ENTRIES = {
  main: 'dist/src/index.js',
  express: 'dist/src/adapters/express.js',
  fastify: 'dist/src/adapters/fastify.js',
  config: 'dist/src/config/load-config.js',
};
export const TOOLS_ENTRIES = {
  testing: 'dist/src/testing/index.js',
  cli: 'dist/src/cli/main.js',
};

/** Entry files package.json "exports" names: file name -> [bundle file, entry]. */
const ENTRY_FILES = {
  'index.js': ['pulseguard.js', 'main'],
  'express.js': ['pulseguard.js', 'express'],
  'fastify.js': ['pulseguard.js', 'fastify'],
  'testing.js': ['tools.js', 'testing'],
};

const OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  // Whitespace and syntax only: a third fewer bytes for V8 to scan (~30 M instructions at start);
  // names stay, so stack traces still say which function threw.
  minifyWhitespace: true,
  minifySyntax: true,
  // Follows tsc's maps, so `node --enable-source-maps` points at the TypeScript sources.
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'silent',
};

/** An object of getters, one per entry: an entry's modules run when it is first used. */
function entriesSource(entries, extra = '') {
  return `module.exports = {\n${Object.entries(entries)
    .map(([name, file]) => `  get ${name}() { return require(${JSON.stringify(`./${file}`)}); },`).join('\n')}\n${extra}};\n`;
}

async function run(root, options) {
  const result = await build({ ...OPTIONS, absWorkingDir: root, ...options });
  // A warning here is a require() esbuild could not follow (a computed path): it would run
  // against the bundle's folder at runtime, so it is an error.
  if (result.warnings.length > 0) throw new Error(`esbuild: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result;
}

/**
 * An esbuild plugin: a relative require() of a module the runtime bundle holds becomes a lookup in
 * that bundle's `modules` table, and its key is added to `used`.
 */
function fromRuntimeBundle(root, runtimeModules, used) {
  const keyOf = (dir, request) => {
    const abs = resolve(dir, request);
    for (const file of [abs, `${abs}.js`, `${abs}.json`, join(abs, 'index.js')]) {
      const key = relative(root, file).split('\\').join('/');
      if (runtimeModules.has(key) && existsSync(file)) return key;
    }
    return undefined;
  };
  return {
    name: 'from-runtime-bundle',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'runtime-module') return { path: args.path, external: true };
        const key = keyOf(args.resolveDir, args.path);
        if (key === undefined) return undefined;
        used.add(key);
        return { path: key, namespace: 'runtime-module' };
      });
      b.onLoad({ filter: /.*/, namespace: 'runtime-module' }, (args) => ({
        contents: `module.exports = require('./pulseguard.js').modules[${JSON.stringify(args.path)}]();`,
        loader: 'js',
      }));
    },
  };
}

export async function bundle(root) {
  const out = join(root, 'dist', 'bundle');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const runtime = (extra) => ({ stdin: { contents: entriesSource(RUNTIME_ENTRIES, extra), resolveDir: root, sourcefile: 'runtime-entries.js', loader: 'js' },
    outfile: join(out, 'pulseguard.js') });

  // 1. The runtime bundle, to learn which modules it holds.
  const first = await run(root, { ...runtime(), metafile: true });
  const runtimeModules = new Set(Object.keys(first.metafile.inputs));
  // 2. The tools bundle, taking those from the runtime bundle.
  const used = new Set();
  await run(root, {
    stdin: { contents: entriesSource(TOOLS_ENTRIES), resolveDir: root, sourcefile: 'tools-entries.js', loader: 'js' },
    outfile: join(out, 'tools.js'),
    plugins: [fromRuntimeBundle(root, runtimeModules, used)],
  });
  // 3. The runtime bundle again, with the table of the modules the tools use.
  const table = [...used].sort().map((key) => `    ${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)}),`).join('\n');
  await run(root, runtime(`  modules: {\n${table}\n  },\n`));

  const requireTsc = createRequire(join(root, 'package.json'));
  const allEntries = { ...RUNTIME_ENTRIES, ...TOOLS_ENTRIES };
  for (const [file, [bundleFile, entry]] of Object.entries(ENTRY_FILES)) {
    // The names go in a dead `0 &&` branch for Node's CommonJS lexer, so that
    // `import { start } from 'pulseguard'` finds them in an ES module (esbuild marks its own
    // CommonJS output the same way).
    const names = Object.keys(requireTsc(join(root, allEntries[entry]))).filter((n) => n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n));
    writeFileSync(join(out, file), [
      `'use strict';`,
      // Not `module.exports = require(...)`: the lexer would take that for a re-export of the bundle.
      `const entries = require('./${bundleFile}');`,
      `module.exports = entries.${entry};`,
      names.length > 0 ? `0 && (${names.map((n) => `exports.${n} = 0`).join(', ')});` : '',
      '',
    ].join('\n'));
  }
  const cli = join(out, 'cli.js');
  writeFileSync(cli, `#!/usr/bin/env node\n'use strict';\nrequire('./tools.js').cli.main();\n`);
  chmodSync(cli, 0o755);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
