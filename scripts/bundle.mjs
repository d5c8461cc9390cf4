// Bundles what tsc emitted for the package's entry points into a few files in dist/bundle/, and
// writes the small entry files package.json points at (index.js, express.js, fastify.js,
// testing.js, cli.js). Runs after tsc in `npm run build`.
//
// Why: loading a CommonJS file costs Node about 0.34 M instructions whatever it holds (resolve,
// stat, read, wrap, compile). start() loaded some 200 of pulseguard's own files; a handful instead
// saves ~110 M instructions, about an eighth of what pulseguard adds to an app's startup
// (docs/performance.md). Every module stays lazy: esbuild wraps each one in a function that runs
// at its first require(), as Node would, and packages stay external.
//
// - runtime-N.js: what an app runs (main, express, fastify, the config loader that
//   pulseguard/register uses), in files under 120 KB. Node reads a file into one malloc'd buffer;
//   one of 128 KB or more is mmap'd, and freeing it raises glibc's mmap threshold for the rest of
//   the process, so later buffers stay in malloc's arenas: a single 594 KB file left the app's RSS
//   ~3 MB higher. What require('pulseguard') runs fills the first files; each module required
//   lazily, with what loading it runs, gets files of its own (small ones share), so a file is read
//   only when its modules are asked for (GramJS's patches without GramJS, the Redis store, zod's
//   wording of errors are never read by most apps).
// - pulseguard.js: the entry getters (main, express, fastify, config).
// - tools.js: the CLI (with the demo) and pulseguard/testing; V8 scans a file whole when it loads
//   it, so the app's files carry no tool.
// Each file exports a table of its modules, and a require() of a module another file holds becomes
// a lookup in that file's table: a process holds one copy of every module (one limiter, one running
// telemetry), whichever entries it loads.
//
// Each module's function is then put in parentheses, so V8 compiles it with its file instead of
// pre-parsing it and parsing it again at its first require() (bundle-eager.mjs).
//
// The tsc tree stays as it is: the tests, the types and pulseguard/register (ESM) use it.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { markModulesEager } from './bundle-eager.mjs';

/** Entry name -> the tsc output it exposes. */
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

/** Most bytes of modules in one runtime file, and most bytes of the file (its table and lookups added). */
export const CHUNK_BYTES = 96 * 1024;
export const MAX_FILE_BYTES = 120 * 1024; // under glibc's default mmap threshold, 128 KB

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
  // names stay, so stack traces and error class names are the source's.
  minifyWhitespace: true,
  minifySyntax: true,
  // Follows tsc's maps, so `node --enable-source-maps` points at the TypeScript sources.
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'silent',
};

const requireOf = (key) => `require(${JSON.stringify(`./${key}`)})`;

/** Getters, one per entry: an entry's modules run when it is first used. */
function gettersSource(entries) {
  return Object.entries(entries).map(([name, file]) => `  get ${name}() { return ${requireOf(file)}; },`).join('\n');
}

/**
 * A file's table of modules, by key (their path under the root): one function, so a file adds one
 * function to compile, not one per module.
 */
function tableSource(keys) {
  return `  module(key) {\n    switch (key) {\n${keys.map((key) => `      case ${JSON.stringify(key)}: return ${requireOf(key)};`).join('\n')}\n    }\n    throw new Error(\`pulseguard bundle: no module \${key}\`);\n  },`;
}

/**
 * A JSON module becomes `JSON.parse('...')`: V8 reads a JSON string faster than the same object
 * written as a literal, for which it also builds a boilerplate. The schema IR (65 KB, read at
 * start()) costs 4 M instructions less so, beside the eager wrappers (10 M without them).
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

async function run(root, options) {
  const result = await build({ ...OPTIONS, absWorkingDir: root, ...options, plugins: [...(options.plugins ?? []), jsonAsParse] });
  // A warning here is a require() esbuild could not follow (a computed path): it would run
  // against the bundle's folder at runtime, so it is an error.
  if (result.warnings.length > 0) throw new Error(`esbuild: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result;
}

/** The key of the module a relative require() from `dir` loads, if `known` has it (Node's resolution for files). */
function moduleKey(root, dir, request, known) {
  const abs = resolve(dir, request);
  for (const file of [abs, `${abs}.js`, `${abs}.json`, join(abs, 'index.js')]) {
    const key = relative(root, file).split('\\').join('/');
    if (known.has(key) && existsSync(file)) return key;
  }
  return undefined;
}

/**
 * An esbuild plugin: a relative require() of a module that `fileOf` places in another file
 * becomes a lookup in that file's table (`module(key)`); the module's key is added to `crossFile`.
 */
function fromOtherFiles(root, fileOf, ownFile, crossFile) {
  return {
    name: 'from-other-files',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'other-file') return { path: args.path, external: true };
        const key = moduleKey(root, args.resolveDir, args.path, fileOf);
        if (key === undefined || fileOf.get(key) === ownFile) return undefined;
        crossFile.add(key);
        return { path: key, namespace: 'other-file' };
      });
      b.onLoad({ filter: /.*/, namespace: 'other-file' }, (args) => ({
        contents: `module.exports = require('./${fileOf.get(args.path)}').module(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** A top-level require() in tsc's output (lazy ones sit inside functions, indented or in an arrow). */
const TOP_LEVEL_REQUIRE = /^(?:(?:const|var|let) [\w$]+ = (?:__importDefault\(|__importStar\()?|__exportStar\()require\("(\.[^"]+)"\)/gm;
const ANY_REQUIRE = /require\((["'])(\.[^"']+)\1\)/g;

/** The modules a module requires, at its top level (when it loads) and lazily (inside a function). */
function requiresOf(root, key, known) {
  if (!key.endsWith('.js')) return { top: [], lazy: [] };
  const text = readFileSync(join(root, key), 'utf8');
  const keyFor = (request) => moduleKey(root, join(root, dirname(key)), request, known);
  const top = new Set([...text.matchAll(TOP_LEVEL_REQUIRE)].map((m) => keyFor(m[1])).filter((k) => k !== undefined));
  const lazy = [...text.matchAll(ANY_REQUIRE)].map((m) => keyFor(m[2])).filter((k) => k !== undefined && !top.has(k));
  return { top: [...top], lazy };
}

/**
 * Modules that load together: first what loading `roots` runs (their top-level requires,
 * followed), then, for each module required lazily (inside a function: telegram's internals, the
 * Redis store, zod's wording of errors...), what loading it runs that no earlier group holds.
 */
function loadGroups(root, roots, known) {
  const deps = new Map([...known.keys()].map((key) => [key, requiresOf(root, key, known)]));
  const assigned = new Set();
  const closure = (starts) => {
    const group = [];
    const visit = (key) => {
      if (assigned.has(key)) return;
      assigned.add(key);
      group.push(key);
      for (const next of deps.get(key)?.top ?? []) visit(next);
    };
    for (const start of starts) visit(start);
    return group.sort();
  };
  const groups = [closure(roots)];
  const lazyTargets = new Set([...deps.values()].flatMap((d) => d.lazy));
  for (const key of [...known.keys()].sort()) if (lazyTargets.has(key) && !assigned.has(key)) groups.push(closure([key]));
  groups.push([...known.keys()].filter((key) => !assigned.has(key)).sort());
  return groups.filter((g) => g.length > 0);
}

/** A group smaller than this shares a file with other small groups; a larger one has files of its own. */
const SMALL_GROUP_BYTES = 2 * 1024;

/**
 * The runtime's files, each at most CHUNK_BYTES of modules: a group of modules that load together
 * never shares a file with another, so a file is read only when its group is asked for, except
 * that small groups are packed together (a file costs ~0.34 M instructions to load).
 */
function runtimeFiles(groups, sizes) {
  const bytesOf = (keys) => keys.reduce((n, key) => n + sizes.get(key), 0);
  const big = groups.filter((g, i) => i === 0 || bytesOf(g) >= SMALL_GROUP_BYTES);
  const small = groups.filter((g, i) => i > 0 && bytesOf(g) < SMALL_GROUP_BYTES);
  return [...big.flatMap((g) => chunk(g, sizes)), ...chunk(small.flat(), sizes)];
}

/** Cuts the modules into files of at most CHUNK_BYTES, in the order given. */
function chunk(keys, sizes) {
  const files = [];
  let current = [];
  let bytes = 0;
  for (const key of keys) {
    const size = sizes.get(key);
    if (current.length > 0 && bytes + size > CHUNK_BYTES) {
      files.push(current);
      current = [];
      bytes = 0;
    }
    current.push(key);
    bytes += size;
  }
  if (current.length > 0) files.push(current);
  return files;
}

export async function bundle(root) {
  const out = join(root, 'dist', 'bundle');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const stdin = (contents, name) => ({ contents, resolveDir: root, sourcefile: name, loader: 'js' });

  // 1. Which modules the runtime holds, and their sizes once bundled.
  const probe = await run(root, { stdin: stdin(`module.exports = {\n${gettersSource(RUNTIME_ENTRIES)}\n};\n`, 'probe.js'), metafile: true, write: false, outfile: join(out, 'probe.js') });
  const probeOutput = Object.entries(probe.metafile.outputs).find(([name]) => name.endsWith('.js'))?.[1];
  if (!probeOutput) throw new Error('esbuild: no JavaScript output in the runtime probe');
  const sizes = new Map(Object.entries(probeOutput.inputs)
    .filter(([key]) => key.startsWith('dist/'))
    .map(([key, input]) => [key, input.bytesInOutput]));
  // 2. The runtime files, each taking the others' modules from their tables. A first pass, with
  // every module in its file's table, finds which modules are required from another file; the
  // tables then hold only those.
  const chunks = runtimeFiles(loadGroups(root, [RUNTIME_ENTRIES.main, RUNTIME_ENTRIES.express, RUNTIME_ENTRIES.fastify], sizes), sizes);
  const fileOf = new Map();
  chunks.forEach((keys, i) => { for (const key of keys) fileOf.set(key, `runtime-${i + 1}.js`); });
  const crossFile = new Set();
  // Writes a file esbuild built, its module functions marked eager (bundle-eager.mjs).
  const writeEager = ({ outputFiles }) => {
    const js = outputFiles.find((f) => f.path.endsWith('.js'));
    const map = outputFiles.find((f) => f.path.endsWith('.js.map'));
    const eager = markModulesEager(js.text, JSON.parse(map.text));
    writeFileSync(js.path, eager.code);
    writeFileSync(map.path, JSON.stringify(eager.map));
  };
  const buildAll = async (tableKeys, write) => {
    // The runtime files with their tables, the entry getters, and the tools.
    const files = [
      ...chunks.map((keys, i) => [`runtime-${i + 1}.js`, tableSource(tableKeys(keys))]),
      ['pulseguard.js', gettersSource(RUNTIME_ENTRIES)],
      ['tools.js', gettersSource(TOOLS_ENTRIES)],
    ];
    for (const [file, body] of files) {
      const result = await run(root, { stdin: stdin(`module.exports = {\n${body}\n};\n`, file), outfile: join(out, file), write: false,
        plugins: [fromOtherFiles(root, fileOf, file, crossFile)] });
      if (write) writeEager(result);
    }
  };
  await buildAll((keys) => keys, false);
  await buildAll((keys) => keys.filter((key) => crossFile.has(key)), true);
  for (const file of new Set(fileOf.values())) {
    const bytes = statSync(join(out, file)).size;
    if (bytes > MAX_FILE_BYTES) throw new Error(`${file} is ${bytes} bytes, over ${MAX_FILE_BYTES}: lower CHUNK_BYTES`);
  }

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
