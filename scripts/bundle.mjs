// Bundles what tsc emitted for the package's entry points into one file, dist/bundle/pulseguard.js,
// and writes the small entry files package.json points at (dist/bundle/index.js, testing.js,
// express.js, fastify.js, cli.js). Runs after tsc in `npm run build`.
//
// Why: loading a CommonJS file costs Node about 0.34 M instructions whatever it holds (resolve,
// stat, read, wrap, compile). start() loads some 200 of pulseguard's own files, so one file instead
// saves ~70 M instructions, about 8% of what pulseguard adds to an app's startup
// (docs/performance.md). The bundle keeps every module lazy: esbuild wraps each one in a function
// that runs at its first require(), as Node would, and packages stay external.
//
// One bundle for every entry, so a process that imports 'pulseguard' and 'pulseguard/express'
// holds one copy of each module (one limiter, one running telemetry). The tsc tree stays as it
// is: the tests, the types and `pulseguard/register` (ESM, which loads this bundle) use it.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Entry name -> the tsc output it exposes. The entry files below name these. */
export const ENTRIES = {
  main: 'dist/src/index.js',
  testing: 'dist/src/testing/index.js',
  express: 'dist/src/adapters/express.js',
  fastify: 'dist/src/adapters/fastify.js',
  cli: 'dist/src/cli/main.js',
  config: 'dist/src/config/load-config.js',
};

/** Entry files: file name -> entry, for the ones package.json "exports" and "bin" name. */
const ENTRY_FILES = { 'index.js': 'main', 'testing.js': 'testing', 'express.js': 'express', 'fastify.js': 'fastify' };

export async function bundle(root) {
  const out = join(root, 'dist', 'bundle');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Getters: an entry's modules run when it is first used, not when the bundle loads.
  const contents = `module.exports = {\n${Object.entries(ENTRIES)
    .map(([name, file]) => `  get ${name}() { return require(${JSON.stringify(`./${file}`)}); },`).join('\n')}\n};\n`;
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'entries.js', loader: 'js' },
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
    outfile: join(out, 'pulseguard.js'),
    logLevel: 'silent',
  });
  // A warning here is a require() esbuild could not follow (a computed path): it would run
  // against the bundle's folder at runtime, so it is an error.
  if (result.warnings.length > 0) throw new Error(`esbuild: ${result.warnings.map((w) => w.text).join('; ')}`);

  const requireTsc = createRequire(join(root, 'package.json'));
  for (const [file, entry] of Object.entries(ENTRY_FILES)) {
    // The names go in a dead `0 &&` branch for Node's CommonJS lexer, so that
    // `import { start } from 'pulseguard'` finds them in an ES module (esbuild marks its own
    // CommonJS output the same way).
    const names = Object.keys(requireTsc(join(root, ENTRIES[entry]))).filter((n) => n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n));
    writeFileSync(join(out, file), [
      `'use strict';`,
      // Not `module.exports = require(...)`: the lexer would take that for a re-export of the bundle.
      `const entries = require('./pulseguard.js');`,
      `module.exports = entries.${entry};`,
      names.length > 0 ? `0 && (${names.map((n) => `exports.${n} = 0`).join(', ')});` : '',
      '',
    ].join('\n'));
  }
  const cli = join(out, 'cli.js');
  writeFileSync(cli, `#!/usr/bin/env node\n'use strict';\nrequire('./pulseguard.js').cli.main();\n`);
  chmodSync(cli, 0o755);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bundle(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
